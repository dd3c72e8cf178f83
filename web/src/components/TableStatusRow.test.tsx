// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { render } from '../lib/render.test-helper';
import TableStatusRow from './TableStatusRow';

const inTable = (child: React.ReactNode) => (
  <table>
    <tbody>{child}</tbody>
  </table>
);

describe('TableStatusRow', () => {
  it('says "Loading…" across every column until the first answer', async () => {
    const r = await render(<TableStatusRow columns={6} items={null} loading />, inTable);
    const cell = r.container.querySelector('td')!;
    expect(cell.textContent).toBe('Завантаження…');
    expect(cell.getAttribute('colspan')).toBe('6');
    await r.unmount();
  });

  it('says "Nothing found." (or the given text) once an answer is empty, also while reloading', async () => {
    const r = await render(<TableStatusRow columns={5} items={[]} loading={false} />, inTable);
    expect(r.container.textContent).toBe('Нічого не знайдено.');
    await r.rerender(<TableStatusRow columns={5} items={[]} loading emptyText="Ще немає клієнтів" />);
    expect(r.container.textContent).toBe('Ще немає клієнтів');
    await r.unmount();
  });

  it('says "Nothing found." when the first request failed', async () => {
    const r = await render(<TableStatusRow columns={5} items={null} loading={false} />, inTable);
    expect(r.container.textContent).toBe('Нічого не знайдено.');
    await r.unmount();
  });

  it('renders nothing while there are rows', async () => {
    const r = await render(<TableStatusRow columns={5} items={[1, 2]} loading />, inTable);
    expect(r.container.querySelector('tr')).toBeNull();
    await r.unmount();
  });
});
