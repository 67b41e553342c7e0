// jobpool dashboard: plain JavaScript, no build step, no third-party code.
// It reads the same REST API as any client (README.md), sends X-API-Key when the user gave one,
// and follows a running job over Server-Sent Events when the service offers them, else by polling.
'use strict';

(() => {
  const KEY_STORAGE = 'jobpool.apiKey';
  const REFRESH_MS = 2000;
  const POLL_MS = 250;
  const CLASSIC_SUM = [10000000, 10000000, 10000000];
  const EXECUTOR_ORDER = ['sequential', 'platform', 'virtual', 'process', 'spawn'];
  const FINISHED = new Set(['succeeded', 'failed', 'cancelled']);
  const SVG_NS = 'http://www.w3.org/2000/svg';

  const $ = (selector) => document.querySelector(selector);

  // ---------------------------------------------------------------------------------------------
  // Small DOM and formatting helpers. Text always goes in through textContent, never as HTML.

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [name, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (name === 'class') node.className = value;
      else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
      else node.setAttribute(name, value === true ? '' : value);
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  function svg(tag, attrs, text) {
    const node = document.createElementNS(SVG_NS, tag);
    for (const [name, value] of Object.entries(attrs || {})) node.setAttribute(name, value);
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function grouped(value) {
    // Works on numbers and on the digit strings that parseJson keeps for integers past 2^53.
    return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  }

  function ms(value) {
    if (value === undefined || value === null) return '–';
    return Number(value).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  }

  function clock(iso) {
    if (!iso) return '–';
    const date = new Date(iso);
    return Number.isNaN(date.getTime()) ? iso : date.toLocaleTimeString();
  }

  function duration(millis) {
    const seconds = Math.round(Number(millis) / 1000);
    if (seconds < 60) return `${seconds} s`;
    if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
    return `${Math.floor(seconds / 3600)} h ${Math.floor((seconds % 3600) / 60)} min`;
  }

  function statusBadge(status) {
    return el('span', { class: `status ${status}` }, status);
  }

  // Sums past 2^53 (the README's 4,300,000,000 example) lose digits as JS numbers: keep such
  // integers as their exact digits, using JSON.parse's source text where the browser offers it.
  function parseJson(text) {
    return JSON.parse(text, (key, value, context) => {
      if (typeof value === 'number' && !Number.isSafeInteger(value) && context
          && typeof context.source === 'string' && /^-?\d+$/.test(context.source)) {
        return context.source;
      }
      return value;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The API, with the optional key.

  class ApiError extends Error {
    constructor(status, problem) {
      super(problem.detail || problem.title || `HTTP ${status}`);
      this.status = status;
      this.problem = problem;
    }
  }

  function apiKey() {
    try {
      return localStorage.getItem(KEY_STORAGE) || '';
    } catch {
      return '';
    }
  }

  function requestHeaders(extra) {
    const headers = { Accept: 'application/json', ...extra };
    const key = apiKey();
    if (key) headers['X-API-Key'] = key;
    return headers;
  }

  async function api(method, path, body) {
    const init = { method, headers: requestHeaders(body === undefined ? {} : { 'Content-Type': 'application/json' }) };
    if (body !== undefined) init.body = JSON.stringify(body);
    const response = await fetch(path, init);
    const text = await response.text();
    let data = null;
    if (text) {
      try {
        data = parseJson(text);
      } catch {
        data = null;
      }
    }
    if (!response.ok) {
      const problem = (data && typeof data === 'object')
        ? data : { title: response.statusText || `HTTP ${response.status}`, detail: text.slice(0, 300) };
      problem.status = problem.status || response.status;
      if (response.status === 401) askForKey(problem);
      throw new ApiError(response.status, problem);
    }
    return { status: response.status, data };
  }

  function describe(error) {
    if (error instanceof ApiError) {
      const code = error.problem.code ? ` (${error.problem.code})` : '';
      return `${error.status}${code}: ${error.message}`;
    }
    return `the service did not answer (${error.message})`;
  }

  // ---------------------------------------------------------------------------------------------
  // API key panel.

  function showKeyState() {
    $('#key-state').textContent = apiKey() ? 'set' : 'none';
  }

  function setKeyPanel(open) {
    $('#key-panel').hidden = !open;
    $('#key-toggle').setAttribute('aria-expanded', String(open));
  }

  function askForKey(problem) {
    const panel = $('#key-panel');
    const message = $('#key-message');
    message.textContent = apiKey()
      ? `The service refused the saved API key (401: ${problem.detail || problem.title}). Paste a valid key.`
      : `The service needs an API key (401: ${problem.detail || problem.title}). Paste it here.`;
    message.classList.add('problem');
    if (panel.hidden) {
      setKeyPanel(true);
      $('#key-input').focus();
    }
  }

  function wireKeyPanel() {
    showKeyState();
    $('#key-toggle').addEventListener('click', () => setKeyPanel($('#key-panel').hidden));
    $('#key-form').addEventListener('submit', (event) => {
      event.preventDefault();
      const key = $('#key-input').value.trim();
      if (!key) return;
      localStorage.setItem(KEY_STORAGE, key);
      $('#key-input').value = '';
      $('#key-message').classList.remove('problem');
      $('#key-message').textContent = 'Key saved in this browser. It is sent as X-API-Key on every API call.';
      showKeyState();
      setKeyPanel(false);
      refreshNow();
    });
    $('#key-clear').addEventListener('click', () => {
      localStorage.removeItem(KEY_STORAGE);
      $('#key-input').value = '';
      $('#key-message').classList.remove('problem');
      $('#key-message').textContent = 'Key forgotten.';
      showKeyState();
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Executors.

  function workersTable(workers) {
    return el('table', { class: 'workers' },
      el('thead', {}, el('tr', {},
        ['slot', 'pid', 'state', 'tasks', 'uptime', 'restarts'].map((h) => el('th', { scope: 'col' }, h)))),
      el('tbody', {}, workers.map((w) => el('tr', {},
        el('td', { class: 'num' }, w.slot),
        el('td', { class: 'num mono' }, w.pid ?? '–'),
        el('td', {}, w.state),
        el('td', { class: 'num' }, grouped(w.tasksDone)),
        el('td', { class: 'num' }, w.pid ? duration(w.uptimeMs) : '–'),
        el('td', { class: 'num' }, w.restarts)))));
  }

  function renderExecutors(executors) {
    const body = $('#executors tbody');
    body.replaceChildren(...executors.map((e) => el('tr', { 'data-executor': e.name },
      el('th', { scope: 'row' }, e.name),
      el('td', {}, e.kind),
      el('td', { class: 'num' }, grouped(e.size)),
      el('td', { class: 'num' }, grouped(e.activeTasks)),
      el('td', { class: 'num' }, grouped(e.queuedTasks)),
      el('td', { class: 'num' }, grouped(e.completedTasks)),
      el('td', {}, (e.workers && e.workers.length) ? workersTable(e.workers) : el('span', { class: 'muted' }, '–')))));
    syncExecutorChoices(executors.map((e) => e.name));
  }

  function syncExecutorChoices(names) {
    const select = $('#executor');
    const wanted = ['auto', ...names];
    const have = [...select.options].map((o) => o.value);
    if (wanted.join() === have.join()) return;
    const chosen = select.value;
    select.replaceChildren(...wanted.map((name) => el('option', { value: name }, name)));
    select.value = wanted.includes(chosen) ? chosen : 'auto';
  }

  async function refreshExecutors() {
    const { data } = await api('GET', '/api/executors');
    renderExecutors(data.executors || []);
  }

  // ---------------------------------------------------------------------------------------------
  // Recent jobs.

  function renderJobs(jobs) {
    const body = $('#jobs tbody');
    if (!jobs.length) {
      body.replaceChildren(el('tr', {}, el('td', { colspan: 10, class: 'muted' }, 'No jobs yet.')));
      return;
    }
    body.replaceChildren(...jobs.map((job) => {
      const p = job.progress || {};
      const t = job.timing || {};
      return el('tr', { 'data-job': job.id, class: (watch && watch.id === job.id) ? 'selected' : null },
        el('td', {}, el('button', {
          type: 'button', class: 'link mono', title: `Follow job ${job.id}`,
          'aria-label': `Follow job ${job.id}`, onclick: () => follow(job.id, job),
        }, job.id.slice(0, 8))),
        el('td', {}, job.type),
        el('td', {}, job.executor, job.requestedExecutor && job.requestedExecutor !== job.executor
          ? el('span', { class: 'muted small' }, ` (${job.requestedExecutor})`) : null),
        el('td', {}, statusBadge(job.status)),
        el('td', {}, clock(job.submittedAt)),
        el('td', {}, `${p.done ?? 0}/${p.total ?? 0}`,
          p.failed ? el('span', { class: 'muted small' }, ` ${p.failed} failed`) : null),
        el('td', { class: 'num' }, ms(t.queueMs)),
        el('td', { class: 'num' }, ms(t.wallMs)),
        el('td', { class: 'num' }, ms(t.busyMs)),
        el('td', { class: 'num' }, t.parallelism ?? '–'));
    }));
  }

  async function refreshJobs() {
    const { data } = await api('GET', '/api/jobs?limit=20');
    renderJobs(data.jobs || []);
  }

  // ---------------------------------------------------------------------------------------------
  // Wall-time chart. drawWallChart takes a plain list of {executor, wallMs[, note, label]}, so the
  // same chart can show a benchmark's results as well as the latest jobs.

  function latestWallTimes(jobs) {
    // Finished means succeeded or failed: a fetch job with one unreachable URL has failed, and its
    // wall time still says how long the executor took. Cancelled jobs were cut short.
    const seen = new Map();
    for (const job of jobs) { // newest first: the first job per executor is its latest
      if ((job.status === 'succeeded' || job.status === 'failed') && job.timing && !seen.has(job.executor)) {
        seen.set(job.executor, {
          executor: job.executor,
          wallMs: job.timing.wallMs,
          note: job.status === 'failed' ? 'failed' : '',
          label: `job ${job.id.slice(0, 8)}, ${job.progress ? job.progress.total : '?'} tasks, ${job.status}`,
        });
      }
    }
    return [...seen.values()];
  }

  function drawWallChart(container, rows, options = {}) {
    const sorted = [...rows].sort((a, b) => {
      const ia = EXECUTOR_ORDER.indexOf(a.executor);
      const ib = EXECUTOR_ORDER.indexOf(b.executor);
      return (ia < 0 ? 99 : ia) - (ib < 0 ? 99 : ib) || String(a.executor).localeCompare(String(b.executor));
    });
    if (!sorted.length) {
      container.replaceChildren(el('p', { class: 'muted' }, options.empty || 'Nothing to compare yet.'));
      return;
    }
    // Drawn at the container's own width, so that text keeps its CSS size instead of scaling.
    const width = Math.max(container.clientWidth || 720, 360);
    const rowHeight = 34;
    const left = 110;
    const right = 230; // room for "966.2 ms · fastest · 2.84x vs sequential"
    const top = 8;
    const height = top * 2 + rowHeight * sorted.length;
    const max = Math.max(...sorted.map((r) => Number(r.wallMs) || 0), 1);
    const best = Math.min(...sorted.map((r) => Number(r.wallMs) || 0));
    const summary = sorted.map((r) => `${r.executor} ${ms(r.wallMs)} ms${r.note ? ` (${r.note})` : ''}`).join(', ');
    const chart = svg('svg', {
      viewBox: `0 0 ${width} ${height}`, width, height, role: 'img',
      'aria-label': `${options.title || 'Wall time by executor'}: ${summary}`,
    });
    chart.append(svg('title', {}, options.title || 'Wall time by executor'));
    chart.append(svg('line', { class: 'axis', x1: left, x2: left, y1: 0, y2: height }));
    sorted.forEach((row, i) => {
      const y = top + i * rowHeight;
      const value = Number(row.wallMs) || 0;
      const barWidth = Math.max(2, (width - left - right) * value / max);
      const group = svg('g', { 'data-executor': row.executor });
      group.append(svg('text', { class: 'label', x: left - 10, y: y + rowHeight / 2 + 4, 'text-anchor': 'end' },
        row.executor));
      const bar = svg('rect', {
        class: value === best ? 'bar best' : 'bar', x: left, y: y + 5, width: barWidth, height: rowHeight - 10, rx: 3,
      });
      if (row.label) bar.append(svg('title', {}, `${row.executor}: ${ms(value)} ms (${row.label})`));
      group.append(bar);
      const notes = [value === best && sorted.length > 1 ? 'fastest' : '', row.note || ''].filter(Boolean);
      group.append(svg('text', { x: left + barWidth + 8, y: y + rowHeight / 2 + 4 },
        [`${ms(value)} ms`, ...notes].join(' · ')));
      chart.append(group);
    });
    container.replaceChildren(chart);
  }

  // The latest benchmark of this job type with results, if any: its medians are the fairest
  // comparison (the same job, run in turn, warm-ups excluded).
  function benchmarkWallTimes(benchmarks, type) {
    const latest = benchmarks.find((b) => b.request && b.request.job && b.request.job.type === type
      && (b.results || []).some((r) => r.runs > 0));
    if (!latest) return null;
    const rows = latest.results.filter((r) => r.runs > 0).map((r) => ({
      executor: r.executor,
      wallMs: r.medianMs,
      note: r.speedup !== undefined && r.speedup !== null ? `${r.speedup}x vs sequential` : '',
      label: `median of ${r.runs} runs, min ${ms(r.minMs)} ms, max ${ms(r.maxMs)} ms`,
    }));
    return { benchmark: latest, rows };
  }

  async function refreshChart() {
    const type = $('#chart-type').value;
    const [{ data: benchmarks }, { data: jobs }] = await Promise.all([
      api('GET', '/api/benchmarks?limit=20'),
      api('GET', `/api/jobs?type=${encodeURIComponent(type)}&limit=100`),
    ]);
    const fromBenchmark = benchmarkWallTimes((benchmarks && benchmarks.benchmarks) || [], type);
    if (fromBenchmark) {
      const b = fromBenchmark.benchmark;
      $('#chart-note').textContent = `Median wall time per executor from benchmark ${b.id.slice(0, 8)} (${b.status}`
        + `${b.winner ? `, fastest: ${b.winner}` : ''}). Shorter is faster.`;
      drawWallChart($('#chart'), fromBenchmark.rows, {
        title: `Median wall time of a ${type} job per executor (benchmark ${b.id.slice(0, 8)})`,
      });
      return;
    }
    $('#chart-note').textContent = 'The latest finished job of this type on each executor (run a benchmark for '
      + 'medians of repeated runs). Shorter is faster.';
    drawWallChart($('#chart'), latestWallTimes((jobs && jobs.jobs) || []), {
      title: `Wall time of the latest ${type} job per executor`,
      empty: `No ${type} job has finished yet: run one on a few executors, or a benchmark, to compare them.`,
    });
  }

  function wireBenchmark() {
    const button = $('#benchmark');
    button.addEventListener('click', async () => {
      const type = $('#chart-type').value;
      const job = type === 'sum'
        ? { type, numbers: CLASSIC_SUM }
        : { type, urls: $('#urls').value.split(/\s+/).filter(Boolean), concurrency: 4 };
      button.disabled = true;
      $('#benchmark-error').hidden = true;
      try {
        const { data } = await api('POST', '/api/benchmarks',
          { job, executors: EXECUTOR_ORDER, repeat: 3, warmup: 1 });
        $('#chart-note').textContent = `Benchmark ${data.id.slice(0, 8)} running: each executor in turn…`;
        let benchmark = data;
        for (let i = 0; i < 60 && !['succeeded', 'failed', 'cancelled'].includes(benchmark.status); i++) {
          benchmark = (await api('GET', `/api/benchmarks/${encodeURIComponent(data.id)}?wait=5`)).data;
          await refreshChart();
        }
        await refreshChart();
      } catch (error) {
        const box = $('#benchmark-error');
        box.textContent = `Benchmark refused: ${describe(error)}`;
        box.hidden = false;
      } finally {
        button.disabled = false;
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Following one job: Server-Sent Events when the service has them, else polling.

  let watch = null;

  function follow(id, snapshot) {
    if (watch) watch.stop();
    const state = {
      id,
      job: snapshot || null,
      order: [], // task indexes in completion order
      tasks: new Map(),
      stopped: false,
      stop() {
        this.stopped = true;
        clearTimeout(this.timer);
        clearTimeout(this.callbackTimer);
        if (this.source) this.source.close();
        if (this.controller) this.controller.abort();
      },
    };
    watch = state;
    $('#live-empty').hidden = true;
    $('#live').hidden = false;
    $('#live-id').textContent = id;
    for (const row of document.querySelectorAll('#jobs tbody tr')) {
      row.classList.toggle('selected', row.dataset.job === id);
    }
    if (snapshot) showJob(state, snapshot);
    // Even a finished job is followed: its stream replays the tasks in completion order, then ends.
    if (apiKey()) streamWithFetch(state);
    else streamWithEventSource(state);
  }

  function setSource(state, text) {
    if (state === watch) $('#live-source').textContent = text; // a job no longer followed stays quiet
  }

  function onEvent(state, name, data) {
    if (state.stopped) return;
    if (name === 'task') {
      const task = parseJson(data);
      if (!state.tasks.has(task.index)) state.order.push(task.index);
      state.tasks.set(task.index, task);
      renderTasks(state);
    } else if (name === 'progress') {
      showProgress(parseJson(data), liveStatus(state));
    } else if (name === 'job') {
      showJob(state, parseJson(data));
    }
  }

  function streamWithEventSource(state) {
    let heard = false;
    const source = new EventSource(`/api/jobs/${encodeURIComponent(state.id)}/events`);
    state.source = source;
    setSource(state, 'connecting to the event stream…');
    source.onopen = () => setSource(state, 'live: Server-Sent Events');
    for (const name of ['task', 'progress', 'job']) {
      source.addEventListener(name, (event) => {
        heard = true;
        if (name === 'job') {
          source.close();
          setSource(state, 'finished (followed live over Server-Sent Events)');
        }
        onEvent(state, name, event.data);
      });
    }
    source.onerror = () => {
      // EventSource cannot tell a 404 (no such endpoint yet) from a dropped stream, and would
      // reconnect and replay a dropped one: close it and finish the job by polling instead.
      source.close();
      if (!state.stopped && !(state.job && FINISHED.has(state.job.status) && heard)) {
        startPolling(state, heard ? 'the event stream broke off' : 'no event stream here');
      }
    };
  }

  async function streamWithFetch(state) {
    // EventSource cannot send X-API-Key, so with a key the stream is read with fetch().
    const controller = new AbortController();
    state.controller = controller;
    setSource(state, 'connecting to the event stream…');
    let response;
    try {
      response = await fetch(`/api/jobs/${encodeURIComponent(state.id)}/events`, {
        headers: requestHeaders({ Accept: 'text/event-stream' }), signal: controller.signal,
      });
    } catch {
      if (!state.stopped) startPolling(state, 'no event stream here');
      return;
    }
    const type = response.headers.get('Content-Type') || '';
    if (!response.ok || !type.startsWith('text/event-stream') || !response.body) {
      if (response.status === 401) askForKey({ title: 'Unauthorized' });
      controller.abort();
      if (!state.stopped) startPolling(state, 'no event stream here');
      return;
    }
    setSource(state, 'live: Server-Sent Events (read with fetch, to send the API key)');
    let finished = false;
    try {
      await readEventStream(response.body, (name, data) => {
        if (name === 'job') finished = true;
        onEvent(state, name, data);
      });
    } catch {
      // Aborted by stop(), or the connection broke: polling below picks up if needed.
    }
    if (finished) setSource(state, 'finished (followed live over Server-Sent Events, read with fetch to send the API key)');
    else if (!state.stopped) startPolling(state, 'the event stream broke off');
  }

  // A text/event-stream parser (the HTML spec's rules for event, data and comments).
  async function readEventStream(body, onMessage) {
    const reader = body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    let name = '';
    let data = [];
    const line = (text) => {
      if (text === '') {
        if (data.length) onMessage(name || 'message', data.join('\n'));
        name = '';
        data = [];
        return;
      }
      if (text.startsWith(':')) return;
      const colon = text.indexOf(':');
      const field = colon < 0 ? text : text.slice(0, colon);
      let value = colon < 0 ? '' : text.slice(colon + 1);
      if (value.startsWith(' ')) value = value.slice(1);
      if (field === 'event') name = value;
      else if (field === 'data') data.push(value);
    };
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n')) >= 0) {
        line(buffer.slice(0, end).replace(/\r$/, ''));
        buffer = buffer.slice(end + 1);
      }
    }
    if (buffer) line(buffer.replace(/\r$/, ''));
    line('');
  }

  function startPolling(state, why) {
    setSource(state, `polling every ${POLL_MS} ms (${why})`);
    const tick = async () => {
      if (state.stopped) return;
      try {
        const { data } = await api('GET', `/api/jobs/${encodeURIComponent(state.id)}`);
        if (state.stopped) return;
        showJob(state, data);
        if (FINISHED.has(data.status)) {
          setSource(state, `finished (followed by polling: ${why})`);
          return;
        }
      } catch (error) {
        if (error instanceof ApiError && error.status === 404) {
          $('#live-summary').textContent = 'This job no longer exists (evicted or unknown).';
          return;
        }
        $('#live-summary').textContent = `Could not read the job: ${describe(error)}`;
      }
      state.timer = setTimeout(tick, POLL_MS);
    };
    tick();
  }

  // The job as first read may say queued; once tasks end it is running until the 'job' event.
  function liveStatus(state) {
    const status = state.job ? state.job.status : 'running';
    return FINISHED.has(status) ? status : 'running';
  }

  function showProgress(progress, status) {
    const bar = $('#live-progress');
    bar.max = Math.max(progress.total || 0, 1);
    bar.value = progress.done || 0;
    const extra = [];
    if (progress.failed) extra.push(`${progress.failed} failed`);
    if (progress.cancelled) extra.push(`${progress.cancelled} cancelled`);
    $('#live-progress-label').textContent =
      `Progress: ${progress.done} of ${progress.total} tasks done${extra.length ? ` (${extra.join(', ')})` : ''}`;
    const badge = $('#live-status');
    badge.textContent = status;
    badge.className = `status ${status}`;
  }

  function showJob(state, job) {
    state.job = job;
    $('#live-type').textContent = job.type;
    $('#live-executor').textContent = job.requestedExecutor && job.requestedExecutor !== job.executor
      ? `${job.executor} (asked: ${job.requestedExecutor})` : job.executor;
    showProgress(job.progress || { total: 0, done: 0 }, job.status);
    if (job.tasks) {
      // A full job lists tasks by index: order the ended ones by when they ended.
      const ended = job.tasks.filter((t) => FINISHED.has(t.status));
      const endOf = (t) => (t.startedAt ? Date.parse(t.startedAt) + (t.durationMs || 0) : Infinity);
      const known = new Set(state.order);
      const fresh = ended.filter((t) => !known.has(t.index)).sort((a, b) => endOf(a) - endOf(b));
      for (const t of ended) state.tasks.set(t.index, t);
      state.order.push(...fresh.map((t) => t.index));
      renderTasks(state);
    }
    $('#live-summary').textContent = summarize(job);
    showCallback(state, job);
    if (FINISHED.has(job.status)) refreshNow();
  }

  // A job's callback is tried once the job has ended: while it is pending, read the job again.
  function showCallback(state, job) {
    const box = $('#live-callback');
    const callback = job.callback;
    box.hidden = !callback;
    if (!callback) {
      box.replaceChildren();
      return;
    }
    const fact = (name, value, attrs) => el('div', {}, el('dt', {}, name), el('dd', attrs || {}, value));
    const last = [];
    if (callback.lastStatusCode !== undefined) last.push(`HTTP ${callback.lastStatusCode}`);
    if (callback.lastError) last.push(`${callback.lastError.code}: ${callback.lastError.message}`);
    box.replaceChildren(
      el('h3', {}, 'Callback'),
      el('dl', { class: 'facts' },
        fact('URL', el('code', {}, callback.url), { class: 'wrap-any', 'data-field': 'url' }),
        fact('Status', statusBadge(callback.status), { 'data-field': 'status' }),
        fact('Attempts', callback.attempts, { 'data-field': 'attempts' }),
        fact('Last answer', last.length ? last.join(' · ') : '–', { class: 'wrap-any', 'data-field': 'last' }),
        fact('Delivered', callback.deliveredAt ? clock(callback.deliveredAt) : '–', { 'data-field': 'deliveredAt' })));
    clearTimeout(state.callbackTimer);
    if (FINISHED.has(job.status) && callback.status === 'pending' && !state.stopped) {
      state.callbackTimer = setTimeout(async () => {
        try {
          const { data } = await api('GET', `/api/jobs/${encodeURIComponent(state.id)}`);
          if (!state.stopped) showCallback(state, data);
        } catch {
          // The next refresh or a click on the job tries again.
        }
      }, REFRESH_MS);
    }
  }

  function workerName(worker) {
    if (!worker) return '–';
    return worker.replica ? `${worker.name} @ ${worker.replica}` : worker.name;
  }

  function summarize(job) {
    if (!FINISHED.has(job.status)) return '';
    const t = job.timing || {};
    const timing = `wall ${ms(t.wallMs)} ms · busy ${ms(t.busyMs)} ms · parallelism ${t.parallelism ?? '–'}`;
    if (job.status === 'cancelled') return `Cancelled${job.cancelReason ? `: ${job.cancelReason}` : ''} · ${timing}`;
    const r = job.result;
    if (job.type === 'sum' && r && r.total !== undefined) return `Total ${grouped(r.total)} · ${timing}`;
    if (job.type === 'fetch' && r) {
      return `${r.ok} answered, ${r.failed} failed, ${grouped(r.bytes)} bytes · ${timing}`;
    }
    return `${job.status} · ${timing}`;
  }

  function taskResult(task) {
    if (task.error) return `${task.error.code}: ${task.error.message}`;
    const r = task.result;
    if (r === undefined || r === null) return '–';
    if (typeof r === 'object') return `HTTP ${r.status} · ${grouped(r.bytes)} B`;
    return grouped(r);
  }

  function renderTasks(state) {
    const rows = state.order.map((index) => state.tasks.get(index)).map((task) => {
      const numeric = /^\d+$/.test(String(task.input));
      return el('tr', {},
        el('td', { class: 'num' }, task.index),
        el('td', { class: numeric ? 'num mono' : 'wrap mono' }, numeric ? grouped(task.input) : task.input),
        el('td', {}, statusBadge(task.status)),
        el('td', { class: task.error ? 'wrap' : 'nowrap' }, taskResult(task)),
        el('td', { class: 'mono small nowrap' }, workerName(task.worker)),
        el('td', { class: 'num' }, ms(task.durationMs)));
    });
    $('#live-tasks tbody').replaceChildren(...rows);
  }

  // ---------------------------------------------------------------------------------------------
  // The experiment form.

  function showProblem(error) {
    const box = $('#form-error');
    box.replaceChildren();
    if (error instanceof ApiError) {
      const p = error.problem;
      box.append(el('strong', {}, p.title || `HTTP ${error.status}`), ' ',
        p.code ? el('span', { class: 'code' }, `[${p.code}]`) : null);
      if (p.detail) box.append(el('div', {}, p.detail));
      if (Array.isArray(p.errors) && p.errors.length) {
        box.append(el('ul', {}, p.errors.map((e) => el('li', {}, el('code', {}, e.field), `: ${e.message}`))));
      }
    } else {
      box.append(el('strong', {}, 'The service did not answer'), el('div', {}, error.message));
    }
    box.hidden = false;
  }

  function wireForm() {
    const form = $('#job-form');
    const showFields = () => {
      $('#fetch-fields').hidden = form.elements.type.value !== 'fetch';
    };
    for (const radio of form.elements.type) radio.addEventListener('change', showFields);
    showFields();
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      $('#form-error').hidden = true;
      const executor = form.elements.executor.value;
      let path;
      let body;
      if (form.elements.type.value === 'sum') {
        path = '/api/jobs/sum';
        body = { numbers: CLASSIC_SUM, executor };
      } else {
        path = '/api/jobs/fetch';
        body = { urls: $('#urls').value.split(/\s+/).filter(Boolean), executor };
        const concurrency = $('#concurrency').value.trim();
        // Anything but a plain integer goes as typed, so that the service's problem names it.
        if (concurrency) body.concurrency = /^-?\d+$/.test(concurrency) ? Number(concurrency) : concurrency;
      }
      const callbackUrl = $('#callback-url').value.trim();
      if (callbackUrl) body.callback = { url: callbackUrl };
      const button = $('#submit');
      button.disabled = true;
      try {
        const { data } = await api('POST', path, body);
        follow(data.id, data);
        refreshNow();
      } catch (error) {
        showProblem(error);
      } finally {
        button.disabled = false;
      }
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Refreshing executors, jobs and chart every couple of seconds (paused while the tab is hidden).

  let refreshTimer = null;

  async function refresh() {
    clearTimeout(refreshTimer);
    if (!document.hidden) {
      const results = await Promise.allSettled([refreshExecutors(), refreshJobs(), refreshChart()]);
      const failed = results.find((r) => r.status === 'rejected');
      $('#refresh-state').textContent = failed
        ? `Could not refresh: ${describe(failed.reason)}`
        : `Updated at ${new Date().toLocaleTimeString()}, every ${REFRESH_MS / 1000} s.`;
    }
    refreshTimer = setTimeout(refresh, REFRESH_MS);
  }

  function refreshNow() {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(refresh, 0);
  }

  function start() {
    wireKeyPanel();
    wireForm();
    wireBenchmark();
    $('#chart-type').addEventListener('change', () => refreshChart().catch(() => {}));
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) refreshNow();
    });
    refresh();
  }

  // For tests and for later pages (a benchmark's results can go straight to drawWallChart).
  window.jobpool = { drawWallChart, readEventStream, parseJson, follow };

  start();
})();
