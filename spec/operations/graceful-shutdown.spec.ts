// gracefulShutdown: stop accepting, finish the request in flight, then close what the app holds.
import express from 'express';
import type { AddressInfo } from 'node:net';
import { gracefulShutdown } from '../../lib';

describe('gracefulShutdown', () => {
  it('finishes an in-flight request, refuses new connections, then runs the closers', async () => {
    let release!: () => void;
    const released = new Promise<void>((r) => (release = r));
    let started!: () => void;
    const hasStarted = new Promise<void>((r) => (started = r));
    const app = express();
    app.get('/slow', async (_req, res) => {
      started();
      await released;
      res.json({ finished: true });
    });
    const server = app.listen(0, '127.0.0.1');
    await new Promise((r) => server.once('listening', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    const inFlight = fetch(`${url}/slow`).then((r) => r.json());
    await hasStarted;
    const order: string[] = [];
    const stopping = gracefulShutdown(server, { close: [async () => order.push('store closed')] }).then(() => order.push('stopped'));
    await expect(fetch(`${url}/slow`)).rejects.toThrow();
    expect(order).toEqual([]);
    release();
    expect(await inFlight).toEqual({ finished: true });
    await stopping;
    expect(order).toEqual(['store closed', 'stopped']);
  });
});
