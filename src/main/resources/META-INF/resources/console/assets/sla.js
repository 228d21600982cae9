'use strict';
// The SLA month's unavailable minutes per day (counted and excluded), as bars.
(() => {
  const id = kvsim.instanceId;
  const figure = document.getElementById('chart-sla');
  const month = figure.dataset.month;
  const [year, mon] = month.split('-').map(Number);
  const days = new Date(Date.UTC(year, mon, 0)).getUTCDate();
  const xs = [];
  for (let d = 1; d <= days; d++) {
    xs.push(Date.UTC(year, mon - 1, d) / 1000);
  }
  const counted = xs.map(() => 0);
  const excluded = xs.map(() => 0);
  const bars = uPlot.paths.bars({size: [0.6, 40]});
  const chart = new uPlot({width: Math.max(480, figure.clientWidth - 8), height: 200, scales: {x: {time: true}},
    series: [{}, {label: 'counted', stroke: '#c62828', fill: 'rgba(198,40,40,0.5)', paths: bars},
      {label: 'excluded', stroke: '#9e9e9e', fill: 'rgba(158,158,158,0.5)', paths: bars}]},
  [xs, counted, excluded], figure);
  window.kvsimCharts = {sla: chart};

  kvsim.api('GET', '/api/v1/instances/' + encodeURIComponent(id) + '/sla?month=' + encodeURIComponent(month)).then(r => {
    r.minutes.forEach(m => {
      const day = new Date(m.minute).getUTCDate() - 1;
      (m.excluded ? excluded : counted)[day]++;
    });
    chart.setData([xs, counted, excluded]);
  }).catch(e => kvsim.show(String(e), false));
})();
