// Typed functions, one per API route the panel uses.
import { request } from './client';
import type {
  AnalyticsReport,
  RatingsReport,
  ApiToken,
  ApiTokenCreated,
  ApiTokenInput,
  Appointment,
  AppointmentInput,
  AppointmentQuery,
  AppointmentUpdate,
  AuthUser,
  CalendarFeedState,
  Client,
  ClientInput,
  GenerateSlotsInput,
  GenerateSlotsResult,
  Message,
  Notice,
  NoticeQuery,
  NoticeStatus,
  Service,
  ServiceInput,
  Settings,
  SettingsInput,
  SimulatorAnswer,
  SimulatorInput,
  Slot,
  SlotInput,
  TelegramInfo,
  StaffException,
  StaffExceptionInput,
  StaffInput,
  StaffMember,
  HoursItem,
  Webhook,
  WebhookCreated,
  SupportItem,
  Waitlist,
} from './types';

export { ApiError, request, setUnauthorizedHandler } from './client';
export type * from './types';

export interface Page<T> {
  items: T[];
  total: number;
}

export const auth = {
  /** Who is signed in, or null: the server answers 200 `{"authenticated": false}` when nobody is. */
  me: async (): Promise<AuthUser | null> => {
    const state = await request<{ authenticated: boolean; username?: string | null }>('/auth/me');
    return state.authenticated && state.username ? { username: state.username } : null;
  },
  login: (username: string, password: string) =>
    request<AuthUser>('/auth/login', { method: 'POST', body: { username, password }, allow401: true }),
  logout: () => request<void>('/auth/logout', { method: 'POST', allow401: true }),
  /** Changes the signed-in admin's own password; this browser gets a fresh session, the others end. */
  changePassword: (body: { current_password: string; new_password: string }) =>
    request<AuthUser>('/auth/password', { method: 'POST', body }),
};

export const services = {
  list: async (): Promise<Service[]> => (await request<{ services: Service[] }>('/services')).services,
  create: (input: ServiceInput) =>
    request<Message & { id: number; service: Service }>('/services', { method: 'POST', body: input }),
  update: (id: number, input: ServiceInput) =>
    request<Message & { service: Service }>(`/services/${id}`, { method: 'PUT', body: input }),
  remove: (id: number) => request<Message>(`/services/${id}`, { method: 'DELETE' }),
};

export const staff = {
  /** Every staff member, hidden ones included, sorted by name. */
  list: async (): Promise<StaffMember[]> => (await request<{ staff: StaffMember[] }>('/staff')).staff ?? [],
  get: (id: number) => request<StaffMember>(`/staff/${id}`),
  create: (input: StaffInput) =>
    request<Message & { id: number; staff: StaffMember }>('/staff', { method: 'POST', body: input }),
  update: (id: number, input: StaffInput) =>
    request<Message & { staff: StaffMember }>(`/staff/${id}`, { method: 'PUT', body: input }),
  /** Refused with 409 `in_use` while they have upcoming bookings (hide them instead). */
  remove: (id: number) => request<Message>(`/staff/${id}`, { method: 'DELETE' }),
  hours: async (id: number): Promise<HoursItem[]> => (await request<{ hours: HoursItem[] }>(`/staff/${id}/hours`)).hours ?? [],
  /** Replaces the whole week. */
  setHours: (id: number, hours: HoursItem[]) =>
    request<Message & { hours: HoursItem[] }>(`/staff/${id}/hours`, { method: 'PUT', body: { hours } }),
  exceptions: async (id: number): Promise<StaffException[]> =>
    (await request<{ exceptions: StaffException[] }>(`/staff/${id}/exceptions`)).exceptions ?? [],
  addException: (id: number, input: StaffExceptionInput) =>
    request<Message & { id: number; exception: StaffException }>(`/staff/${id}/exceptions`, { method: 'POST', body: input }),
  removeException: (id: number, exceptionId: number) =>
    request<Message>(`/staff/${id}/exceptions/${exceptionId}`, { method: 'DELETE' }),
};

export interface SlotQuery {
  from?: string;
  to?: string;
  service_id?: number;
  staff_id?: number;
  order?: 'asc' | 'desc';
  limit?: number;
  offset?: number;
}

export const slots = {
  list: async (query: SlotQuery): Promise<Page<Slot>> => {
    const r = await request<{ available_dates: Slot[]; total?: number }>('/available_dates', { query: { ...query } });
    return { items: r.available_dates, total: r.total ?? r.available_dates.length };
  },
  /** Every slot of the query, following pages until `total` is reached. */
  listAll: async (query: SlotQuery, pageSize = 500): Promise<Slot[]> => {
    const all: Slot[] = [];
    for (let offset = 0; ; ) {
      const page = await slots.list({ ...query, limit: pageSize, offset });
      all.push(...page.items);
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total || all.length >= 10000) break;
    }
    return all;
  },
  create: (input: SlotInput) =>
    request<Message & { id: number; available_date: Slot }>('/available_dates', { method: 'POST', body: input }),
  generate: (input: GenerateSlotsInput) =>
    request<GenerateSlotsResult>('/available_dates/generate', { method: 'POST', body: input }),
  update: (id: number, input: SlotInput) =>
    request<Message>(`/available_dates/${id}`, { method: 'PUT', body: input }),
  remove: (id: number, force = false) =>
    request<Message>(`/available_dates/${id}`, { method: 'DELETE', query: force ? { force: 'true' } : undefined }),
};

export const clients = {
  list: async (query: { q?: string; limit?: number; offset?: number }): Promise<Page<Client>> => {
    const r = await request<{ users: Client[]; total?: number }>('/users', { query: { ...query } });
    return { items: r.users, total: r.total ?? r.users.length };
  },
  get: (id: number) => request<Client>(`/users/${id}`),
  /** The business's private notes about a client ("" when none); never shown to the client. */
  notes: async (id: number): Promise<string> => (await request<{ notes: string }>(`/users/${id}/notes`)).notes,
  setNotes: (id: number, notes: string) => request<{ notes: string }>(`/users/${id}/notes`, { method: 'PUT', body: { notes } }),
  appointments: async (id: number): Promise<Page<Appointment>> => {
    // All of them (the server's most), for the client card's figures.
    const r = await request<{ appointments: Appointment[]; total?: number }>(`/users/${id}/appointments`, { query: { limit: 1000 } });
    return { items: r.appointments, total: r.total ?? r.appointments.length };
  },
  create: (input: ClientInput) =>
    request<Message & { id: number; user: Client }>('/users', { method: 'POST', body: input }),
  update: (id: number, input: ClientInput) =>
    request<Message & { user: Client }>(`/users/${id}`, { method: 'PUT', body: input }),
  remove: (id: number) => request<Message>(`/users/${id}`, { method: 'DELETE' }),
  /** Uploads a CSV of clients; with `dryRun` nothing is created, the answer is the preview. */
  importCsv: (csv: string, dryRun: boolean) =>
    request<unknown>('/users/import', {
      method: 'POST',
      body: csv,
      contentType: 'text/csv; charset=utf-8',
      query: { dry_run: dryRun ? 'true' : 'false' },
    }),
};

export const calendarFeed = {
  get: () => request<CalendarFeedState>('/calendar_feed'),
  /** A new secret link (replaces the old one); the path is shown only this once. */
  create: () => request<{ path: string }>('/calendar_feed', { method: 'POST' }),
  revoke: () => request<Message>('/calendar_feed', { method: 'DELETE' }),
};

export const webhooks = {
  list: async (): Promise<Webhook[]> => (await request<{ webhooks: Webhook[] }>('/webhooks')).webhooks ?? [],
  /** `events` empty = every event; `personalFields` empty = the payloads carry ids only. */
  create: (url: string, events: string[], personalFields: string[] = []) =>
    request<WebhookCreated>('/webhooks', {
      method: 'POST',
      body: {
        url,
        ...(events.length ? { events } : {}),
        ...(personalFields.length ? { personal_fields: personalFields } : {}),
      },
    }),
  remove: (id: number) => request<Message>(`/webhooks/${id}`, { method: 'DELETE' }),
};

export const tokens = {
  list: async (): Promise<ApiToken[]> => (await request<{ tokens: ApiToken[] }>('/tokens')).tokens ?? [],
  /** The token itself is in this answer only. */
  create: (input: ApiTokenInput) => request<ApiTokenCreated>('/tokens', { method: 'POST', body: input }),
  revoke: (id: number) => request<Message>(`/tokens/${id}`, { method: 'DELETE' }),
};

export type AppointmentAction = 'confirm' | 'complete' | 'no_show' | 'cancel';

export const appointments = {
  list: async (query: AppointmentQuery): Promise<Page<Appointment>> => {
    const r = await request<{ appointments: Appointment[]; total?: number }>('/appointments', {
      query: { ...query },
    });
    return { items: r.appointments, total: r.total ?? r.appointments.length };
  },
  /** Every appointment in [from, to], following pages until `total` is reached. */
  listAll: async (query: AppointmentQuery, pageSize = 500): Promise<Appointment[]> => {
    const all: Appointment[] = [];
    for (let offset = 0; ; ) {
      const page = await appointments.list({ ...query, limit: pageSize, offset });
      all.push(...page.items);
      offset += page.items.length;
      if (page.items.length === 0 || offset >= page.total || all.length >= 10000) break;
    }
    return all;
  },
  get: (id: number) => request<Appointment>(`/appointments/${id}`),
  create: (input: AppointmentInput) =>
    request<Message & { id: number; appointment: Appointment }>('/appointments', { method: 'POST', body: input }),
  update: (id: number, input: AppointmentUpdate) =>
    request<Message & { appointment: Appointment }>(`/appointments/${id}`, { method: 'PUT', body: input }),
  action: (id: number, action: AppointmentAction, reason?: string) =>
    request<Message & { appointment: Appointment }>(`/appointments/${id}/${action}`, {
      method: 'POST',
      body: action === 'cancel' ? (reason ? { reason } : {}) : {},
    }),
};

export const settings = {
  get: () => request<Settings>('/settings'),
  update: (input: SettingsInput) =>
    request<Message & { settings: Settings }>('/settings', { method: 'PUT', body: input }),
  /** The Telegram bot: pasted in Settings, or TELEGRAM_BOT_TOKEN on the server (which wins; 409 here). */
  telegram: {
    get: () => request<TelegramInfo>('/settings/telegram'),
    /** Checked with Telegram (getMe) first, then saved sealed; the bot connects at once. */
    connect: (token: string) => request<TelegramInfo>('/settings/telegram', { method: 'PUT', body: { token } }),
    /** Forgets the saved token: the bot stops answering clients. */
    disconnect: () => request<TelegramInfo>('/settings/telegram', { method: 'DELETE' }),
  },
};

export const notifications = {
  list: async (query: NoticeQuery): Promise<Page<Notice>> => {
    const r = await request<{ notifications: Notice[]; total?: number }>('/notifications', { query: { ...query } });
    return { items: r.notifications, total: r.total ?? r.notifications.length };
  },
  /** How many notices each status has (one small request per status). */
  counts: async (statuses: readonly NoticeStatus[]): Promise<Record<NoticeStatus, number>> => {
    const totals = await Promise.all(statuses.map((status) => notifications.list({ status, limit: 1 }).then((p) => p.total)));
    const out = { pending: 0, sent: 0, skipped: 0, failed: 0 };
    statuses.forEach((s, i) => (out[s] = totals[i] ?? 0));
    return out;
  },
  /** Puts a failed notice back in line. */
  retry: (id: number) => request<Message>(`/notifications/${id}/retry`, { method: 'POST' }),
};

export const simulator = {
  send: async (input: SimulatorInput): Promise<SimulatorAnswer> => {
    const r = await request<Partial<SimulatorAnswer>>('/simulator/send', { method: 'POST', body: input });
    return { replies: r.replies ?? [], toast: r.toast ?? null };
  },
};

export const analytics = {
  /** The figures of [from, to] (local dates, both inclusive); the server's default is the last 30 days. */
  get: (period: { from?: string; to?: string } = {}) => request<AnalyticsReport>('/analytics', { query: { ...period } }),
  // --- comeback ---
  /** The stars clients gave the visits that started in [from, to], per staff member and per service. */
  ratings: (period: { from?: string; to?: string } = {}) =>
    request<RatingsReport>('/analytics/ratings', { query: { ...period } }),
};

// --- support ---
export const support = {
  /** A client's thread, oldest first. */
  thread: async (clientId: number): Promise<SupportItem[]> =>
    (await request<{ messages: SupportItem[] }>(`/users/${clientId}/messages`)).messages,
  /** Answers the client through the bot. */
  answer: (clientId: number, text: string) =>
    request<Message & { id: number; item: SupportItem }>(`/users/${clientId}/messages`, { method: 'POST', body: { text } }),
  /** The business's answers to a simulated client, newer than `after`. */
  simulatorAnswers: async (chatId: number, after: number): Promise<SupportItem[]> =>
    (await request<{ messages: SupportItem[] }>('/simulator/messages', { query: { chat_id: chatId, after } })).messages,
};

// --- waitlist ---
export const waitlist = {
  /** The waits for the days in [from, to] (local dates, both inclusive), per day, in ask order. */
  list: (period: { from?: string; to?: string } = {}) => request<Waitlist>('/waitlist', { query: { ...period } }),
};
