import type { ErrorRendering } from '../core/render-error';

/** The endpoints' one way of writing bodies and errors. */
export interface RenderErrorSettings {
  readonly rendering: ErrorRendering;
}
