// Characters that change how text is shown without being seen: bidirectional overrides and
// isolates, zero-width characters, soft hyphens. In a name they let one person pass for
// another ("Ana\u202Eeb" reads as "Anabe"), so names are stored without them; in free text
// they are shown as visible markers.

const INVISIBLE = /[\u00AD\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

/**
 * The text without invisible formatting characters.
 * @example stripInvisible('Ana\u202E') // 'Ana'
 */
export const stripInvisible = (text: string): string => text.replace(INVISIBLE, '');

/**
 * The text with each invisible formatting character shown as a visible marker.
 * @example showInvisible('ok\u202Eko') // 'ok⟨U+202E⟩ko'
 */
export const showInvisible = (text: string): string =>
  text.replace(INVISIBLE, (c) => `⟨U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}⟩`);
