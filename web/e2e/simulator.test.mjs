// The bot simulator page against the real bot engine (POST /api/simulator/send), one step per test,
// in order, on an empty database:
//   - a new simulated client registers and books through the buttons of the simulator page while the
//     Home page (calendar) is open in a second page of the same session: the booking shows up there
//     live, without a reload;
//   - the client cancels it from "Мої записи": the bot's toast shows and the event leaves the calendar;
//   - a client whose Telegram language is English gets the English texts.
//
// Dates: the free times are "tomorrow" in the business's zone (Europe/Kyiv) and the two days after.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  addDays,
  DESKTOP,
  launchBrowser,
  login,
  noSwal,
  PHONE,
  showDate,
  snap,
  startServer,
  todayIn,
  waitUntil,
  watchConsole,
  orderedSteps,
} from './harness.mjs';

const DAY = addDays(todayIn(), 1); // tomorrow, business time
const SERVICE = 'Манікюр Сим';
const CLIENT = 'Марія Симуляторна';
const PHONE_NUMBER = '+380661112233';
const EN_CLIENT = 'Emma Simulated';

describe('bot simulator', () => {
  let server;
  let browser;
  let home; // the Home page (calendar)
  let sim; // the Simulator page
  const cons = [];
  /** Every /api/simulator/send of the simulator page: { input, status, answer }. */
  const exchanges = [];

  async function api(method, path, body) {
    const r = await browser.context.request.fetch(`${server.baseURL}/api${path}`, {
      method,
      data: body === undefined ? undefined : body,
      headers: body === undefined ? {} : { 'Content-Type': 'application/json' },
    });
    const text = await r.text();
    return { status: r.status(), body: text ? JSON.parse(text) : null };
  }

  const botBubbles = () => sim.locator('.bubble-row-bot .bubble-bot');
  const lastBot = () => botBubbles().last();
  const inlineButton = (label) =>
    sim.locator('.bubble-bot .inline-kb .kb-btn').filter({ hasText: new RegExp(`^${escapeRe(label)}$`) });
  const replyButton = (label) => sim.locator('.reply-kb .kb-btn').filter({ hasText: new RegExp(`^${escapeRe(label)}$`) });
  const calendarEvent = (text) => home.locator(`.fc-timegrid-col[data-date="${DAY}"] .fc-event`, { hasText: text });

  /** Runs `action` on the simulator page and returns the /api/simulator/send exchange it caused. */
  async function exchange(action) {
    const before = exchanges.length;
    const answered = sim.waitForResponse((r) => r.url().endsWith('/api/simulator/send'));
    await action();
    await answered;
    await waitUntil(() => exchanges.length > before, { message: 'the simulator exchange to be recorded' });
    const x = exchanges[exchanges.length - 1];
    assert.equal(x.status, 200, `POST /api/simulator/send ${JSON.stringify(x.input)} → ${x.status} ${JSON.stringify(x.answer)}`);
    return x;
  }

  /** Waits until the last bot message's text matches `re`; returns the text. */
  async function lastBotSays(re) {
    return waitUntil(
      async () => {
        const text = (await lastBot().locator('.bubble-text').textContent()) ?? '';
        return re.test(text) ? text : null;
      },
      { message: `the bot to say ${re}` },
    );
  }

  /** Presses an inline button of the last bot message; checks the page sent that message's id. */
  async function press(label) {
    const button = lastBot().locator('.inline-kb .kb-btn').filter({ hasText: new RegExp(`^${escapeRe(label)}$`) });
    const shownId = exchanges.findLast((x) => x.answer?.replies?.some((r) => r.inline_keyboard?.flat().some((b) => b.text === label)));
    const x = await exchange(() => button.first().click());
    assert.equal(typeof x.input.callback_data, 'string', 'an inline button sends callback_data');
    const carrier = shownId?.answer.replies.findLast((r) => r.inline_keyboard?.flat().some((b) => b.text === label));
    assert.ok(carrier, `the button "${label}" came with a bot message`);
    assert.equal(x.input.message_id, carrier.message_id, `"${label}" sends the message_id of the bot message it is on`);
    return x;
  }

  before(
    async () => {
      server = await startServer();
      browser = await launchBrowser();
      home = browser.context.pages()[0] ?? (await browser.context.newPage());
      cons.push(watchConsole(home));
      await login(home, server.baseURL);

      // A service with free times tomorrow and the two days after, 10:00, 11:00 and 12:00.
      const service = await api('POST', '/services', { service_name: SERVICE, duration_minutes: 60, price: 600 });
      assert.equal(service.status, 201, JSON.stringify(service.body));
      const generated = await api('POST', '/available_dates/generate', {
        date_from: DAY,
        date_to: addDays(DAY, 2),
        weekdays: [1, 2, 3, 4, 5, 6, 7],
        time_from: '10:00',
        time_to: '13:00',
        step_minutes: 60,
      });
      assert.equal(generated.status, 201, JSON.stringify(generated.body));
      assert.equal(generated.body.created, 9);

      sim = await browser.context.newPage(); // same context, same session cookie
      cons.push(watchConsole(sim));
      sim.on('response', async (r) => {
        if (!r.url().endsWith('/api/simulator/send')) return;
        const entry = { input: r.request().postDataJSON(), status: r.status(), answer: null };
        try {
          entry.answer = await r.json();
        } catch {
          /* not JSON */
        }
        exchanges.push(entry);
      });
    },
    { timeout: 60_000 },
  );

  after(async () => {
    await browser?.close();
    await server?.stop();
  });

  const step = orderedSteps('simulator', () => ({ consoles: cons, pages: { simulator: sim, home } }));

  step('[1] a new simulated client registers and books in the simulator; the booking appears live in the open calendar', async () => {
    // The calendar, open on tomorrow's week, live.
    await home.goto(`${server.baseURL}/#/`);
    await home.locator('.fc').waitFor();
    await showDate(home, `.fc-timegrid-col[data-date="${DAY}"]`);
    await home.locator('.live-dot.live-live').waitFor();
    await home.evaluate(() => {
      window.__e2eNoReload = true;
    });

    await sim.goto(`${server.baseURL}/#/simulator`);
    await sim.locator('.page-head h1', { hasText: 'Симулятор бота' }).waitFor();
    await sim.locator('.sim-controls button', { hasText: 'Новий клієнт' }).click();
    const chatId = Number(await sim.locator('.sim-controls input').inputValue());
    assert.ok(Number.isSafeInteger(chatId) && chatId >= 2 ** 52, 'a fresh chat id in the simulator range');
    assert.equal(await sim.locator('.sim-controls select').inputValue(), 'uk', 'the client speaks the panel’s language by default');

    // /start → the greeting asks for the name.
    let x = await exchange(() => sim.locator('.chat-input button', { hasText: '/start' }).click());
    assert.deepEqual(x.input, { text: '/start', chat_id: chatId, language: 'uk' });
    await lastBotSays(/Вітаємо![\s\S]*Як до вас звертатися\?/);

    // The name → the phone, with a reply-keyboard button that shares the contact.
    x = await exchange(async () => {
      await sim.locator('#sim-text').fill(CLIENT);
      await sim.locator('.chat-input button[type=submit]').click();
    });
    assert.equal(x.input.text, CLIENT);
    await lastBotSays(new RegExp(`Дякую, ${CLIENT}! Тепер поділіться номером`));
    const share = sim.locator('.reply-kb .kb-btn');
    assert.equal(await share.count(), 1);
    assert.equal((await share.textContent())?.trim(), '📱 Поділитися номером', 'the server’s label, shown once');

    // Sharing the contact: the page asks which number the client "shares" (a demo number is offered).
    await share.click();
    const prompt = sim.locator('.swal2-popup', { has: sim.locator('input.swal2-input') });
    await prompt.waitFor();
    assert.match((await prompt.locator('input.swal2-input').inputValue()) ?? '', /^\+380\d{9}$/, 'a demo number is offered');
    await prompt.locator('input.swal2-input').fill(PHONE_NUMBER);
    x = await exchange(() => prompt.locator('.swal2-confirm').click());
    assert.deepEqual(x.input, { contact_phone: PHONE_NUMBER, chat_id: chatId, language: 'uk' });
    await lastBotSays(new RegExp(`Готово, ${CLIENT}, ви зареєстровані!`));
    await noSwal(sim);
    const menu = await sim.locator('.reply-kb .kb-btn').allTextContents();
    assert.deepEqual(
      menu.map((s) => s.trim()),
      ['Записатись', 'Мої записи', 'Профіль', 'Контакти', 'Написати нам'],
    );

    // "Записатись" → the services as inline buttons.
    x = await exchange(() => replyButton('Записатись').click());
    assert.equal(x.input.text, 'Записатись');
    await lastBotSays(/Оберіть послугу/);
    const bubbles = await botBubbles().count();
    const serviceLabel = `${SERVICE} · 60 хв · 600 грн`;
    await inlineButton(serviceLabel).waitFor();

    // The service → the month calendar, in the same message (an edit).
    x = await press(serviceLabel);
    assert.equal(x.answer.replies[0]?.edit, true, 'the calendar edits the services message');
    // (the staff member's name follows the service: the business's only one performs it)
    await lastBotSays(new RegExp(`${SERVICE}( · [^\\n]+)?\\nОберіть день`));
    const dayNumber = String(Number(DAY.slice(8)));
    // The calendar may open on this month while tomorrow is in the next one.
    for (let i = 0; (await inlineButton(dayNumber).count()) === 0; i++) {
      assert.ok(i < 2, `the calendar never showed day ${dayNumber}`);
      assert.ok(await inlineButton('›').count(), 'a "›" to the next month');
      x = await press('›');
      assert.equal(x.answer.replies[0]?.edit, true, 'month navigation edits the message');
    }
    assert.ok((await inlineButton('·').count()) > 0, 'days without free times show "·"');
    assert.equal(await botBubbles().count(), bubbles, 'still one message (edited in place)');
    await snap(sim, 'simulator-month-keyboard-1280x900');
    // The seven-column keyboard fits a phone too.
    await sim.setViewportSize(PHONE);
    await sim.waitForTimeout(200);
    await snap(sim, 'simulator-month-keyboard-390x844');
    const overflow = await sim.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 0, `the simulator scrolls sideways by ${overflow}px at 390×844`);
    const kb = await lastBot().locator('.inline-kb').boundingBox();
    assert.ok(kb && kb.x >= 0 && kb.x + kb.width <= PHONE.width, 'the month keyboard is inside the screen');
    await sim.setViewportSize(DESKTOP);

    // The day → its free times.
    x = await press(dayNumber);
    assert.equal(x.answer.replies[0]?.edit, true);
    await lastBotSays(new RegExp(`${SERVICE}( · [^\\n,]+)?, .*\\nОберіть час`));
    const times = (await lastBot().locator('.inline-kb .kb-btn').allTextContents()).map((s) => s.trim()).filter((s) => /^\d\d:\d\d$/.test(s));
    assert.deepEqual(times, ['10:00', '11:00', '12:00']);

    // The first free time → the summary with confirm / cancel.
    x = await press('10:00');
    assert.equal(x.answer.replies[0]?.edit, true);
    const summary = await lastBotSays(/Перевірте, будь ласка/);
    assert.match(summary, new RegExp(`Послуга: ${SERVICE}`));
    assert.match(summary, /Час: 10:00–11:00/);
    assert.match(summary, /Ціна: 600 грн/);
    await inlineButton('✅ Підтвердити').waitFor();
    await inlineButton('✖️ Скасувати').waitFor();
    assert.equal(await botBubbles().count(), bubbles, 'the whole booking happened in one edited message');

    // Confirm → booked.
    x = await press('✅ Підтвердити');
    const booked = await lastBotSays(/Ви записані: /);
    assert.match(booked, new RegExp(`${SERVICE}, .* о 10:00`));
    assert.equal(await lastBot().locator('.inline-kb').count(), 0, 'the buttons are gone');
    await snap(sim, 'simulator-flow-1280x900', { fullPage: true });

    // The server has it, from the bot, for this chat.
    const list = await api('GET', `/appointments?from=${DAY}&to=${DAY}`);
    assert.equal(list.status, 200);
    const a = list.body.appointments.find((item) => item.title === CLIENT);
    assert.ok(a, `the booking is stored: ${JSON.stringify(list.body)}`);
    assert.equal(a.start, `${DAY}T10:00:00`);
    assert.equal(a.end, `${DAY}T11:00:00`);
    assert.equal(a.source, 'bot');
    assert.equal(a.status_name, 'pending');
    assert.equal(a.phone, PHONE_NUMBER);
    assert.equal(a.telegram_id, chatId);

    // The Home page shows it without a reload.
    const ev = calendarEvent(CLIENT);
    await ev.waitFor({ timeout: 15_000 });
    assert.match((await ev.textContent()) ?? '', /10:00/);
    assert.match((await ev.textContent()) ?? '', new RegExp(SERVICE));
    assert.equal(await home.evaluate(() => window.__e2eNoReload), true, 'the Home page was not reloaded');
    await home.locator('.table tbody tr', { hasText: CLIENT }).waitFor();
    await ev.scrollIntoViewIfNeeded();
    await snap(home, 'simulator-calendar-1280x900');
  });

  step('[2] the client cancels it in "Мої записи": the bot’s toast shows and the event leaves the calendar live', async () => {
    let x = await exchange(() => replyButton('Мої записи').click());
    assert.equal(x.input.text, 'Мої записи');
    await lastBotSays(/Ваші записи:[\s\S]*10:00/);
    x = await press('✖️ Скасувати №1');
    await lastBotSays(/Скасувати запис\?/);
    x = await press('Так, скасувати');
    assert.ok(x.answer.toast, `the bot answers the button with a toast: ${JSON.stringify(x.answer)}`);
    const toast = sim.locator('.swal2-container .swal2-toast');
    await toast.waitFor();
    assert.equal((await toast.locator('.swal2-title').textContent())?.trim(), x.answer.toast, 'the server’s text as it is');
    assert.match(x.answer.toast, /^Запис скасовано: /);
    await snap(sim, 'simulator-toast-1280x900');

    await calendarEvent(CLIENT).waitFor({ state: 'detached', timeout: 15_000 });
    assert.equal(await home.evaluate(() => window.__e2eNoReload), true, 'the Home page was not reloaded');
    const list = await api('GET', `/appointments?from=${DAY}&to=${DAY}`);
    const a = list.body.appointments.find((item) => item.title === CLIENT);
    assert.equal(a?.status_name, 'cancelled');
    await noSwal(sim);
  });

  step('[3] a client whose Telegram language is English gets the English texts', async () => {
    await sim.locator('.sim-controls select').selectOption('en');
    await sim.locator('.sim-controls button', { hasText: 'Новий клієнт' }).click();
    await sim.locator('.chat-empty').waitFor();

    let x = await exchange(() => sim.locator('.chat-input button', { hasText: '/start' }).click());
    assert.equal(x.input.language, 'en');
    assert.match(await lastBotSays(/^Welcome!/), /What is your name\?/);

    x = await exchange(async () => {
      await sim.locator('#sim-text').fill(EN_CLIENT);
      await sim.locator('#sim-text').press('Enter');
    });
    assert.equal(x.input.language, 'en');
    await lastBotSays(new RegExp(`^Thank you, ${EN_CLIENT}!`));
    assert.equal((await sim.locator('.reply-kb .kb-btn').textContent())?.trim(), '📱 Share my number');

    await sim.locator('.reply-kb .kb-btn').click();
    const prompt = sim.locator('.swal2-popup', { has: sim.locator('input.swal2-input') });
    await prompt.locator('input.swal2-input').fill('+380661112244');
    x = await exchange(() => prompt.locator('.swal2-confirm').click());
    assert.equal(x.input.language, 'en');
    await lastBotSays(new RegExp(`^Done, ${EN_CLIENT}, you are registered!`));
    await noSwal(sim);
    const menu = (await sim.locator('.reply-kb .kb-btn').allTextContents()).map((s) => s.trim());
    assert.deepEqual(menu, ['Book', 'My bookings', 'Profile', 'Contacts', 'Message us']);

    await exchange(() => replyButton('Book').click());
    await lastBotSays(/^Choose a service:/);
    await inlineButton(`${SERVICE} · 60 min · 600 UAH`).waitFor();
    // The panel itself stays Ukrainian.
    assert.equal((await sim.locator('.page-head h1').textContent())?.trim(), 'Симулятор бота');
    await snap(sim, 'simulator-english-1280x900', { fullPage: true });
  });

  step('[4] no console errors on either page', async () => {
    for (const c of cons) assert.deepEqual(c.problems, []);
  });
});

function escapeRe(s) {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
