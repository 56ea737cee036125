// A webhook receiver in its own Node process (BlackBoxDeliveryBenchmark): every POST /<key>
// answers 204 at once and counts one for <key>; GET /count/<key> answers that count.
// Prints the port it listens on (127.0.0.1, a free port) as its first line.
import http from 'node:http';

const counts = new Map();
const server = http.createServer((req, res) => {
  req.on('data', () => {});
  req.on('end', () => {
    if (req.method === 'GET' && req.url.startsWith('/count/')) {
      res.writeHead(200, { 'content-type': 'text/plain' }).end(String(counts.get(req.url.slice(7)) ?? 0));
      return;
    }
    const key = req.url.slice(1);
    counts.set(key, (counts.get(key) ?? 0) + 1);
    res.writeHead(204).end();
  });
});
// No timeouts: Node's headersTimeout is checked against a kept-alive socket's age, so after it
// a busy connection is closed under a request it has already counted; the dispatcher records
// "connection closed by receiver" and retries, and the run measures that retry's delay.
server.keepAliveTimeout = 0;
server.headersTimeout = 0;
server.requestTimeout = 0;
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
