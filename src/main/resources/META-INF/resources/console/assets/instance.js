'use strict';
// One instance: nodes and roles, live charts (every second, the last five minutes), the settings forms and the logs.
(() => {
  const id = kvsim.instanceId;
  const base = '/api/v1/instances/' + encodeURIComponent(id);

  // ---- nodes and status, every 2 s (roles swap on failover and switchover) ----
  const nodes = document.querySelector('#nodes tbody');
  kvsim.every(2000, async () => {
    const i = await kvsim.api('GET', base);
    document.querySelector('.instance-head [data-field=status]').textContent = i.status;
    nodes.replaceChildren(...i.nodes.map(n => kvsim.row([
      kvsim.el('span', n.nodeId, 'mono'), n.shard, n.role, n.state, n.port, n.pid === null ? '–' : n.pid])));
  });

  // ---- charts ----
  const CHARTS = {
    ops: {keys: ['UsedQPS', 'ReadQPS', 'WriteQPS', 'OtherQPS'], labels: ['all', 'reads', 'writes', 'other'], scale: 1},
    memory: {keys: ['UsedMemory', 'quotaMemory'], labels: ['used', 'quota'], scale: 1 / (1024 * 1024)},
    connections: {keys: ['UsedConnection'], labels: ['open'], scale: 1},
    bandwidth: {keys: ['intranetIn', 'intranetOut'], labels: ['in', 'out'], scale: 1},
    latency: {keys: ['avgRt', 'maxRt'], labels: ['average', 'max'], scale: 1 / 1000},
  };
  const COLORS = ['#1565c0', '#2e7d32', '#c62828', '#6a1b9a'];
  const charts = {};
  window.kvsimCharts = charts;  // what the charts show, for the browser tests

  Object.entries(CHARTS).forEach(([name, c]) => {
    const figure = document.getElementById('chart-' + name);
    const series = [{}].concat(c.labels.map((label, k) => ({label: label, stroke: COLORS[k], width: 1.5,
      value: (u, v) => v === null || v === undefined ? '–' : kvsim.fmt(v, 2)})));
    const empty = [[]].concat(c.keys.map(() => []));
    charts[name] = new uPlot({width: Math.max(320, figure.clientWidth - 8), height: 170, series: series,
      axes: [{}, {size: 60}], scales: {x: {time: true}}, legend: {live: false}}, empty, figure);
  });

  const keys = [...new Set(Object.values(CHARTS).flatMap(c => c.keys))].join(',');
  kvsim.every(1000, async () => {
    const m = await kvsim.api('GET', base + '/metrics?interval=1s&keys=' + keys);
    const xs = m.times.map(t => Date.parse(t) / 1000);
    Object.entries(CHARTS).forEach(([name, c]) => {
      const columns = c.keys.map(k => m.values[k].map(v => v === null ? null : v * c.scale));
      charts[name].setData([xs].concat(columns));
    });
    document.querySelectorAll('[data-latest]').forEach(span => {
      const k = span.dataset.latest;
      const chart = Object.values(CHARTS).find(c => c.keys.includes(k));
      const last = [...m.values[k]].reverse().find(v => v !== null);
      span.textContent = last === undefined ? '' : 'now ' + kvsim.fmt(last * chart.scale, 2);
    });
  });

  // ---- settings ----
  const params = document.getElementById('parameters');
  params.addEventListener('submit', ev => {
    ev.preventDefault();
    const changes = {};
    params.querySelectorAll('input[data-original]').forEach(i => {
      if (i.value !== i.dataset.original) {
        changes[i.name] = i.value;
      }
    });
    if (Object.keys(changes).length === 0) {
      kvsim.show('No parameter changed.', true);
      return;
    }
    kvsim.change(() => kvsim.api('PATCH', base + '/parameters', changes));
  });

  const whitelist = document.getElementById('whitelist');
  const ipsOf = text => text.split(',').map(s => s.trim()).filter(s => s.length > 0);
  whitelist.addEventListener('submit', ev => {
    ev.preventDefault();
    const f = whitelist.elements;
    const puts = [];
    whitelist.querySelectorAll('input').forEach(i => {
      if (i.name !== 'new-group' && i.name !== 'new-group-ips' && i.value !== i.defaultValue) {
        puts.push([i.name, ipsOf(i.value)]);
      }
    });
    if (f['new-group'].value.trim()) {
      puts.push([f['new-group'].value.trim(), ipsOf(f['new-group-ips'].value)]);
    }
    kvsim.change(async () => {
      for (const [group, ips] of puts) {
        await kvsim.api('PUT', base + '/security-ips/' + encodeURIComponent(group), {ips: ips});
      }
    });
  });

  const account = document.getElementById('account');
  account.addEventListener('submit', ev => {
    ev.preventDefault();
    const f = account.elements;
    kvsim.change(() => kvsim.api('POST', base + '/accounts', {accountName: f.accountName.value,
      accountPassword: f.accountPassword.value, accountPrivilege: f.accountPrivilege.value}));
  });
  document.querySelectorAll('[data-delete-account]').forEach(b => b.addEventListener('click', () => {
    kvsim.change(() => kvsim.api('DELETE', base + '/accounts/' + encodeURIComponent(b.dataset.deleteAccount)));
  }));

  // ---- logs, every 5 s ----
  const slow = document.querySelector('#slow-log tbody');
  const running = document.querySelector('#running-log tbody');
  kvsim.every(5000, async () => {
    const s = await kvsim.api('GET', base + '/slow-log?limit=20');
    slow.replaceChildren(...s.reverse().map(r => kvsim.row([r.executedAt, r.nodeId, r.durationUs,
      kvsim.el('span', r.command.join(' '), 'mono')])));
    const l = await kvsim.api('GET', base + '/running-log?limit=30');
    running.replaceChildren(...l.reverse().map(r => kvsim.row([r.at, r.source === 'node' ? r.nodeId : 'kvsim',
      kvsim.el('span', r.content, 'mono')])));
  });
})();
