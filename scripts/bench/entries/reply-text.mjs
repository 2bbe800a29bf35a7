// The reply sms-auto-reply sends, shared by the entries written the common way.
/** @param {string | undefined} body */
export function replyTo(body) {
  return body ? `Thanks! We got your message: ${body}` : 'Thanks! We got your message.';
}
