// Ceiling of the machine: bare node:http. Reads the whole body (as any token endpoint must) and answers the
// same fixed token JSON with the same headers. Shows how much of the budget is Express's own.
import { FIXED_TOKEN_RESPONSE } from '../fixtures';
import { serve } from './serve';

const body = JSON.stringify(FIXED_TOKEN_RESPONSE);
const headers = {
  'Content-Type': 'application/json; charset=utf-8',
  'Content-Length': Buffer.byteLength(body),
  'Cache-Control': 'no-store',
  Pragma: 'no-cache',
};

serve((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, headers);
    res.end(body);
  });
});
