// What an email says: one item at once, or a digest grouping a member's items; plain text and
// HTML; every member's email ends with a one-click unsubscribe link (also in List-Unsubscribe).
export interface MailItem {
  text: string;
  /** A path on this site. */
  link: string | null;
}

export interface Composed {
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const CHOICE_LINE: Record<string, string> = {
  immediate: 'You get Signpost notifications by email as they happen.',
  daily: 'This is your daily Signpost digest.',
  weekly: 'This is your weekly Signpost digest.',
};

/**
 * An email for a member (`unsubscribeUrl` set) or an invitee (none: there is no account to
 * unsubscribe). `digest`: the member's choice when several items are grouped.
 */
export function composeMail(input: { site: string; items: readonly MailItem[]; subject?: string; choice: string; unsubscribeUrl: string | null }): Composed {
  const { site, items } = input;
  const url = (link: string | null) => (link ? `${site}${link}` : null);
  const digest = input.choice === 'daily' || input.choice === 'weekly';
  const subject = input.subject ?? (digest ? `Signpost ${input.choice} digest: ${items.length} ${items.length === 1 ? 'update' : 'updates'}` : items[0]!.text);
  const lines = items.map((i) => (url(i.link) ? `- ${i.text}\n  ${url(i.link)}` : `- ${i.text}`));
  const footer = input.unsubscribeUrl
    ? [`${CHOICE_LINE[input.choice] ?? ''} Change how often on ${site}/settings.`, `Unsubscribe from all Signpost email: ${input.unsubscribeUrl}`]
    : [];
  const text = [items.length > 1 || digest ? `${items.length === 1 ? 'One update' : `${items.length} updates`} from Signpost:` : '', ...lines, '', '--', ...footer]
    .filter((l, k) => l !== '' || k > 0)
    .join('\n');
  const html = [
    '<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">',
    `<p>${escape(items.length === 1 && !digest ? 'From Signpost:' : `${items.length} ${items.length === 1 ? 'update' : 'updates'} from Signpost:`)}</p>`,
    '<ul>',
    ...items.map((i) => `<li>${escape(i.text)}${url(i.link) ? ` <a href="${escape(url(i.link)!)}">Open</a>` : ''}</li>`),
    '</ul>',
    ...(input.unsubscribeUrl
      ? [
          `<p style="color:#555;font-size:small">${escape(CHOICE_LINE[input.choice] ?? '')} <a href="${escape(`${site}/settings`)}">Change how often</a>.`,
          ` <a href="${escape(input.unsubscribeUrl)}">Unsubscribe from all Signpost email</a>.</p>`,
        ]
      : []),
    '</body></html>',
  ].join('\n');
  // RFC 8058: a provider's unsubscribe button POSTs List-Unsubscribe=One-Click to this URL.
  const oneClick = input.unsubscribeUrl?.replace('/unsubscribe?', '/unsubscribe/one-click?');
  const headers: Record<string, string> = oneClick ? { 'List-Unsubscribe': `<${oneClick}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } : {};
  return { subject, text, html, headers };
}

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** Digests go out at the first run on or after 07:00 UTC (daily), and on Mondays (weekly). */
export const DIGEST_HOUR_UTC = 7;

/** The start of the digest period `now` falls in. */
export function digestPeriodStart(choice: 'daily' | 'weekly', now: number): number {
  const day = Math.floor((now - DIGEST_HOUR_UTC * HOUR) / DAY);
  const daily = day * DAY + DIGEST_HOUR_UTC * HOUR;
  if (choice === 'daily') return daily;
  // Day 0 (1970-01-01) was a Thursday: (day + 3) % 7 is the days since Monday.
  return daily - (((day + 3) % 7) + 7) % 7 * DAY;
}
