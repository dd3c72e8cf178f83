// Fixes to FullCalendar's markup that its options cannot make (WCAG 2.1 A, found by axe-core):
// - the arrow icons are `<span role="img">` without a name inside buttons that have one: hidden;
// - a scrolling time grid with nothing focusable in it (a day without bookings) cannot be scrolled by
//   keyboard: its first day cell becomes focusable (the scroller itself may not: it sits between the
//   grid's rows, where only rows are allowed), and the arrow keys scroll the grid from there;
// - month cells are labelled by their day number alone though they hold the events too, so the
//   label does not contain the visible text: named by their content instead;
// - the month view's "+N more" links carry `aria-expanded` (they open a popover) on an `<a>` without
//   a role, where that attribute is not allowed: they act as buttons, so they get that role.
// Applied on every change of the calendar's DOM (a view switch or a re-render re-creates parts).

export function fixCalendarMarkup(root: ParentNode): void {
  root.querySelectorAll('.fc-icon[role="img"]:not([aria-hidden])').forEach((icon) => icon.setAttribute('aria-hidden', 'true'));
  root.querySelectorAll('.fc-scroller-liquid-absolute').forEach((scroller) => {
    const cell = scroller.querySelector<HTMLElement>('[role="gridcell"]');
    if (cell && !cell.hasAttribute('tabindex')) cell.tabIndex = 0;
  });
  root.querySelectorAll('.fc-daygrid-day[aria-labelledby]').forEach((cell) => cell.removeAttribute('aria-labelledby'));
  root.querySelectorAll('.fc-more-link[aria-expanded]:not([role])').forEach((link) => link.setAttribute('role', 'button'));
}

/** Keeps `root`'s calendar fixed while it changes; returns the function that stops watching. */
export function watchCalendarMarkup(root: HTMLElement): () => void {
  fixCalendarMarkup(root);
  const observer = new MutationObserver(() => fixCalendarMarkup(root));
  observer.observe(root, { childList: true, subtree: true, attributes: true, attributeFilter: ['aria-labelledby', 'tabindex', 'role'] });
  return () => observer.disconnect();
}
