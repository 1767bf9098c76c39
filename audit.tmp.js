const { Client } = require('pg');
(async () => {
  const c = new Client({ connectionString: 'postgres://postgres@127.0.0.1:27432/postgres' });
  await c.connect();
  const { rows } = await c.query(`SELECT schemaname s, relname t, seq_scan, seq_tup_read, idx_scan, n_live_tup FROM pg_stat_user_tables WHERE schemaname LIKE $1 AND relname NOT LIKE '\\_ferretdb\\_%' ORDER BY seq_tup_read DESC LIMIT 25`, [process.argv[2] + '%']);
  for (const r of rows) console.log(String(r.seq_tup_read).padStart(12), String(r.seq_scan).padStart(7), String(r.idx_scan).padStart(9), String(r.n_live_tup).padStart(8), r.s + '.' + r.t.replace(/_[0-9a-f]{8}$/, ''));
  await c.end();
})();
