// Baseline: bare Express, the ceiling for any router mounted in Express. The same two body parsers a token
// endpoint needs, then a fixed token response with the RFC 6749 §5.1 no-store headers, so the bytes on the
// wire match the real servers'. No authentication, no token minted, nothing stored.
// TOKEN_SHAPE=opaque (default) answers a 43-character token; TOKEN_SHAPE=jwt a JWT-sized one (scenario 2).
import express from 'express';
import { FIXED_JWT_TOKEN_RESPONSE, FIXED_TOKEN_RESPONSE, TOKEN_PATH } from '../fixtures';
import { serve } from './serve';

const shape = process.env.TOKEN_SHAPE ?? 'opaque';
if (shape !== 'opaque' && shape !== 'jwt') throw new Error(`TOKEN_SHAPE must be opaque or jwt, got ${shape}`);
const body = shape === 'jwt' ? FIXED_JWT_TOKEN_RESPONSE : FIXED_TOKEN_RESPONSE;

const app = express();
app.post(TOKEN_PATH, express.json(), express.urlencoded({ extended: false }), (_req, res) => {
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Pragma', 'no-cache');
  res.json(body);
});
serve(app);
