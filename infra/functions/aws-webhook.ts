// The webhook infra/aws deploys: the sms-auto-reply template's Lambda entry (handler "index.handler").
export { handler } from '../../templates/sms-auto-reply/aws/index.js';
