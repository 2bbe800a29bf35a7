// The Lambda row of the cold-start section alone: bundle size and cold import time of the sms-auto-reply
// template on @twiml-guard/aws-lambda vs the same template written with twilio (validateRequest +
// MessagingResponse). Run `npm run build` first, then: node scripts/bench/aws-bundle.mjs
// (`npm run bench` runs every section, this one included).
import { PLATFORMS, run } from './cold-start.mjs';
import { formatText } from './lib/table.mjs';

console.log(formatText(await run({ platforms: PLATFORMS.filter((platform) => platform.name === 'Lambda') })));
