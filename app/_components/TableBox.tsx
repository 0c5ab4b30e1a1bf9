// A box a wide table scrolls in, so a page never scrolls sideways on a phone. The box is a
// labelled region a keyboard can reach (tab to it, then the arrow keys scroll it), as WCAG
// asks of anything that scrolls.
export function TableBox({ label, className, children }: { label: string; className?: string; children: React.ReactNode }) {
  return (
    <div className={className ? `table-box ${className}` : 'table-box'} role="region" aria-label={label} tabIndex={0}>
      {children}
    </div>
  );
}
