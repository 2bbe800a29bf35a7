/**
 * A one-key phone menu. A call to `<base>` gets a <Gather> whose action is `<base>/choice`; Twilio
 * posts the key pressed (`Digits`) there, signed for that URL, and this same handler answers it.
 * Only requests Twilio signed reach this function: the adapter checked them first.
 */
import { VoiceResponse, type HandlerResult, type TwilioWebhookEvent } from '@twiml-guard/core';

export const CHOICE_SEGMENT = 'choice';

const MENU = 'Thanks for calling. For opening hours, press 1. To hear a joke, press 2.';
const ANSWERS: Readonly<Record<string, string>> = {
  '1': 'We are open Monday to Friday, nine to five.',
  '2': 'Why did the webhook cross the road? Because Twilio signed it.',
};

function single(value: string | readonly string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : value?.[0];
}

/** The verified public URL without its query: the menu's own address, or `<menu>/choice`. */
function withoutQuery(url: string): string {
  const end = url.indexOf('?');
  return end === -1 ? url : url.slice(0, end);
}

export function voiceIvr(event: TwilioWebhookEvent): HandlerResult {
  const here = withoutQuery(event.url).replace(/\/+$/, '');
  const isChoice = here.endsWith(`/${CHOICE_SEGMENT}`);
  const menuUrl = isChoice ? here.slice(0, -(CHOICE_SEGMENT.length + 1)) : here;
  const twiml = new VoiceResponse();

  if (!isChoice) {
    // The action is absolute, built from the URL Twilio just called, so it works under any prefix (/api, /dev, /fn-name).
    const gather = twiml.gather({ numDigits: 1, action: `${menuUrl}/${CHOICE_SEGMENT}`, method: 'POST', timeout: 5 });
    gather.say(MENU);
    // No key within the timeout: Gather falls through to here.
    twiml.say('We did not get a choice. Goodbye!');
    return twiml;
  }

  const answer = ANSWERS[single(event.params.Digits) ?? ''];
  if (answer === undefined) {
    twiml.say('Sorry, that is not an option.');
    twiml.redirect({ method: 'POST' }, menuUrl);
    return twiml;
  }
  twiml.say(answer);
  twiml.hangup();
  return twiml;
}
