// Baseline for scenario 3: bare Express answering the refresh grant's response shape with no work at all: the
// same two body parsers, the RFC 6749 §5.1 no-store headers, and a fixed body with an access token and a refresh
// token of Keyturn's sizes (43 characters; 22 + 1 + 43). The refresh-rotation hook redeems the fixed refresh
// token like any other, so the requests on the wire are the same as Keyturn's.
import express from 'express';
import { FIXED_TOKEN_RESPONSE, TOKEN_PATH } from '../fixtures';
import { serve } from './serve';

const body = { ...FIXED_TOKEN_RESPONSE, refresh_token: `${'r'.repeat(22)}.${'t'.repeat(43)}` };
const app = express();
app.post(TOKEN_PATH, express.json(), express.urlencoded({ extended: false }), (_req, res) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.json(body);
});
serve(app);
