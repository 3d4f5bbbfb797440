// The baseline every gateway figure is divided by: a bare undici hop that forwards the request with
// its Authorization header and nothing else (no verification, no limits), plaintext or TLS alike.
export function bareHop(pool) {
  return async (req, res) => {
    try {
      const up = await pool.request({
        method: req.method,
        path: req.url.replace(/^\/api/, ''),
        headers: { authorization: req.headers.authorization ?? '' },
        body: req.method === 'GET' ? null : req,
      });
      res.writeHead(up.statusCode, up.headers);
      up.body.pipe(res);
    } catch {
      res.writeHead(502).end();
    }
  };
}
