import { showInvisible } from '@/lib/text';

/**
 * Free text someone typed (a rationale, a note, a description): line breaks kept, and any
 * invisible formatting character (a bidirectional override, a zero-width space) shown as a
 * visible marker, so it cannot disguise the text around it.
 */
export function FreeText({ text }: { text: string | null | undefined }) {
  return <>{showInvisible(text ?? '')}</>;
}
