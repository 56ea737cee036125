// Three webhook receivers in one Node process, apart from the runner's JVM (IsolationBenchmark):
//   POST /healthy  answers 204 at once and notes the arrival time of the event id
//   POST /slow     answers 204 after 2 s
//   POST /hang     never answers (the dispatcher's timeout ends it)
//   GET  /arrivals the noted {eventId: epochMillis} since the last GET, then forgets them
// Prints the port it listens on (127.0.0.1, a free port) as its first line.
import http from 'node:http';

let arrivals = {};
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const now = Date.now();
    if (req.method === 'GET' && req.url === '/arrivals') {
      const body = JSON.stringify(arrivals);
      arrivals = {};
      res.writeHead(200, { 'content-type': 'application/json' }).end(body);
      return;
    }
    if (req.url.startsWith('/healthy')) {
      const m = /"id":"([^"]+)"/.exec(Buffer.concat(chunks).toString('utf8'));
      if (m && arrivals[m[1]] === undefined) arrivals[m[1]] = now;
      res.writeHead(204).end();
    } else if (req.url.startsWith('/slow')) {
      setTimeout(() => res.writeHead(204).end(), 2000);
    } else if (req.url.startsWith('/hang')) {
      // say nothing; the socket closes when the dispatcher gives up
    } else {
      res.writeHead(404).end();
    }
  });
});
server.keepAliveTimeout = 65_000;
server.headersTimeout = 70_000;
server.requestTimeout = 0;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
