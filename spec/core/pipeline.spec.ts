// The pipeline runner: an endpoint is an array of small named steps over one request state. Steps that need
// no I/O answer synchronously and cost no promise; the first step that returns one is awaited before the
// rest run; a step that throws (or rejects) ends the pipeline there.
import { runSteps, type Step } from '../../lib/core/pipeline';

interface Trace {
  readonly ran: string[];
}
const sync = (name: string): Step<Trace> => (state) => {
  state.ran.push(name);
};
const async = (name: string): Step<Trace> => async (state) => {
  await new Promise((resolve) => setImmediate(resolve));
  state.ran.push(name);
};
const throwing = (name: string, err: unknown): Step<Trace> => (state) => {
  state.ran.push(name);
  throw err;
};

describe('runSteps', () => {
  it('runs synchronous steps in order and returns no promise', () => {
    const state: Trace = { ran: [] };
    const result = runSteps([sync('a'), sync('b'), sync('c')], state);
    expect(result).toBeUndefined();
    expect(state.ran).toEqual(['a', 'b', 'c']);
  });

  it('an empty pipeline returns at once', () => {
    expect(runSteps([], { ran: [] })).toBeUndefined();
  });

  it('awaits the first step that returns a promise before running the next: the rest run after it settles, in order', async () => {
    const state: Trace = { ran: [] };
    const result = runSteps([sync('a'), async('b'), sync('c'), async('d'), sync('e')], state);
    expect(result).toBeInstanceOf(Promise);
    // Only the steps before the first asynchronous one have run when runSteps returns.
    expect(state.ran).toEqual(['a']);
    await result;
    expect(state.ran).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('a step that throws synchronously ends the pipeline: the throw reaches the caller, no later step runs', () => {
    const state: Trace = { ran: [] };
    const boom = new Error('step failed');
    expect(() => runSteps([sync('a'), throwing('b', boom), sync('c')], state)).toThrow(boom);
    expect(state.ran).toEqual(['a', 'b']);
  });

  it('a step that rejects ends the pipeline: the promise rejects with its error, no later step runs', async () => {
    const state: Trace = { ran: [] };
    const boom = new Error('store down');
    const rejecting: Step<Trace> = async (s) => {
      s.ran.push('b');
      throw boom;
    };
    await expect(runSteps([sync('a'), rejecting, sync('c')], state)).rejects.toBe(boom);
    expect(state.ran).toEqual(['a', 'b']);
  });

  it('a synchronous throw after an asynchronous step rejects the pipeline\'s promise', async () => {
    const state: Trace = { ran: [] };
    const boom = new Error('late failure');
    await expect(runSteps([async('a'), throwing('b', boom), sync('c')], state)).rejects.toBe(boom);
    expect(state.ran).toEqual(['a', 'b']);
  });

  it('every step sees the same state object', () => {
    const seen: Trace[] = [];
    const state: Trace = { ran: [] };
    const record: Step<Trace> = (s) => void seen.push(s);
    runSteps([record, record], state);
    expect(seen).toEqual([state, state]);
    expect(seen[0]).toBe(state);
    expect(seen[1]).toBe(state);
  });
});
