// Baseline for scenario 4: a bare Express GET answering the same JSON as the protected routes, with no
// token check at all. The ceiling for any bearer middleware in Express.
import express from 'express';
import { RESOURCE_BODY, RESOURCE_PATH } from '../fixtures';
import { serve } from './serve';

const app = express();
app.get(RESOURCE_PATH, (_req, res) => {
  res.json(RESOURCE_BODY);
});
serve(app);
