// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { fixCalendarMarkup } from './calendarA11y';

describe('fixCalendarMarkup', () => {
  it('hides the unnamed icons, makes one cell of the scrolling grid focusable and names month cells by their content', () => {
    const root = document.createElement('div');
    root.innerHTML = `
      <button class="fc-prev-button" aria-label="Попередній"><span class="fc-icon fc-icon-chevron-left" role="img"></span></button>
      <div class="fc-scroller fc-scroller-liquid-absolute"><table><tbody><tr><td role="gridcell" class="fc-timegrid-col"></td><td role="gridcell"></td></tr></tbody></table></div>
      <table><tbody><tr><td class="fc-daygrid-day" role="gridcell" aria-labelledby="fc-dom-2"><a id="fc-dom-2">2</a> Олена</td></tr></tbody></table>
      <a class="fc-more-link" tabindex="0" aria-expanded="false">+2</a>`;
    fixCalendarMarkup(root);
    expect(root.querySelector('.fc-icon')!.getAttribute('aria-hidden')).toBe('true');
    const cells = root.querySelectorAll<HTMLElement>('.fc-scroller [role="gridcell"]');
    expect(cells[0]!.tabIndex).toBe(0);
    expect(cells[1]!.hasAttribute('tabindex')).toBe(false);
    expect(root.querySelector('.fc-scroller')!.hasAttribute('tabindex')).toBe(false);
    expect(root.querySelector('td')!.hasAttribute('aria-labelledby')).toBe(false);
    expect(root.querySelector('.fc-more-link')!.getAttribute('role')).toBe('button');
  });
});
