// A stand-in for the service being rolled out, as its own process: the version deployed last decides the error rate
// of /healthz (a version whose name contains "bad" fails every second request; any other never fails).
//   node service.mjs PORT        POST /deploy (form: version, percent)  GET /healthz  GET /state
import http from 'node:http';

const port = Number(process.argv[2] || 0);
const state = { version: null, percent: 0, deploys: [], requests: 0, errors: 0 };

function errorRate(version) {
  return version && version.includes('bad') ? 0.5 : 0;
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://127.0.0.1');
  if (req.method === 'POST' && url.pathname === '/deploy') {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const version = form.get('version');
      if (!version) { res.writeHead(400).end('version is required\n'); return; }
      state.version = version;
      state.percent = Number(form.get('percent') || 100);
      state.deploys.push({ version, percent: state.percent });
      res.writeHead(200, { 'Content-Type': 'text/plain' }).end(`deployed ${version} at ${state.percent}%\n`);
    });
    return;
  }
  if (url.pathname === '/healthz') {
    state.requests++;
    const failEvery = errorRate(state.version) > 0 ? Math.round(1 / errorRate(state.version)) : 0;
    const fail = failEvery > 0 && state.requests % failEvery === 0;
    if (fail) state.errors++;
    res.writeHead(fail ? 500 : 200, { 'Content-Type': 'text/plain' }).end(fail ? 'internal error\n' : 'ok\n');
    return;
  }
  if (url.pathname === '/state') {
    res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(state));
    return;
  }
  res.writeHead(404).end();
});

server.listen(port, '127.0.0.1', () => {
  console.log(`service listening on ${server.address().port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
