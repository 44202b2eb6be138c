/** Static markup of the dashboard; media/analytics/main.ts fills it from the host's `stats` messages. */
export const ANALYTICS_BODY = `<header class="toolbar">
  <h1>llmgenie Analytics</h1>
  <span id="status" class="muted" role="status"></span>
  <span class="spacer"></span>
  <label for="period">Period</label>
  <select id="period">
    <option value="7d">Last 7 days</option>
    <option value="30d">Last 30 days</option>
    <option value="90d">Last 90 days</option>
    <option value="all">All time</option>
  </select>
  <button id="export-csv" class="secondary" title="Save the daily figures of this period as CSV">Export CSV</button>
  <button id="export-json" class="secondary" title="Save every figure of this period as JSON">Export JSON</button>
</header>
<section id="error" class="error" role="alert" hidden></section>
<section id="empty" class="empty" hidden>
  <h2 id="empty-title">No llmgenie activity yet</h2>
  <p>Every task the router sends to the local model or to Claude, every policy check and every handoff validation
  is appended to a session log under <code id="empty-dir">.llmgenie/sessions</code>, from the editor and from the
  CLI (<code>llmgenie ask</code>, <code>llmgenie check</code>, <code>llmgenie handoff validate</code>). The figures
  appear here, live, as soon as the first event is written.</p>
  <p id="empty-older" hidden><span id="empty-older-text"></span> <button id="show-all">Show all time</button></p>
  <p><button id="open-sessions" class="secondary">Open the Sessions view</button></p>
</section>
<main id="dashboard" hidden>
  <section id="kpis" class="kpis" aria-label="Key figures"></section>
  <section class="charts">
    <figure class="card wide" data-chart="tasks"><figcaption>Tasks per day by route</figcaption><div class="chart"><canvas id="chart-tasks" role="img" aria-label="Tasks per day by route"></canvas></div><p class="none" hidden>No tasks in this period.</p></figure>
    <figure class="card" data-chart="cost"><figcaption>Cost per day vs all on Claude</figcaption><div class="chart"><canvas id="chart-cost" role="img" aria-label="Cost per day"></canvas></div><p class="none" hidden>No tasks in this period.</p></figure>
    <figure class="card" data-chart="latency"><figcaption>Latency and time to first token by model</figcaption><div class="chart"><canvas id="chart-latency" role="img" aria-label="Latency by model"></canvas></div><p class="none" hidden>No successful tasks in this period.</p></figure>
    <figure class="card" data-chart="escalations"><figcaption>Escalation reasons</figcaption><div class="chart"><canvas id="chart-escalations" role="img" aria-label="Escalation reasons"></canvas></div><p class="none" hidden>No local answer needed escalating in this period.</p></figure>
    <figure class="card" data-chart="findings"><figcaption>Policy findings per day</figcaption><div class="chart"><canvas id="chart-findings" role="img" aria-label="Policy findings per day"></canvas></div><p class="none" hidden>No policy checks in this period.</p></figure>
  </section>
</main>`;
