import { describe, expect, it } from 'vitest';
import { formatHoursAmount, formatMinutes, formatMoney, formatPrice, priceInput } from './format';

const nbsp = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('numbers in the panel’s language', () => {
  it('writes prices with the language’s decimal mark and two decimals when not whole', () => {
    expect(formatPrice(850.5, 'uk')).toBe('850,50 грн');
    expect(formatPrice(850.5, 'en')).toBe('UAH 850.50');
    expect(formatPrice(500, 'uk')).toBe('500 грн');
    expect(nbsp(formatPrice(1500, 'uk'))).toBe('1 500 грн');
    expect(formatMoney(0.5, 'uk')).toBe('0,50');
  });

  it('writes hours with a comma in Ukrainian', () => {
    expect(formatHoursAmount(1.5, 'uk')).toBe('1,5 год');
    expect(formatHoursAmount(0.75, 'uk')).toBe('0,75 год');
    expect(formatHoursAmount(1.5, 'en')).toBe('1.5 h');
    expect(formatHoursAmount(2, 'uk')).toBe('2 год');
    expect(formatMinutes(90, 'uk')).toBe('90 хв');
  });

  it('fills a price field the way it is typed', () => {
    expect(priceInput(850.5, 'uk')).toBe('850,50');
    expect(priceInput(1500, 'uk')).toBe('1500');
    expect(priceInput(850.5, 'en')).toBe('850.50');
    expect(priceInput(null, 'uk')).toBe('');
  });
});
