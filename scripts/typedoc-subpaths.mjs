// TypeDoc plugin (typedoc.json "plugin"): names each module of the API reference by the import specifier an
// app writes (`keyturn`, `keyturn/resource-server`, ...) instead of its entry file's name (`index`, ...).
import { Converter, ReflectionKind } from 'typedoc';

/** @param {import('typedoc').Application} app */
export function load(app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    const packageName = 'keyturn';
    for (const module of context.project.getChildrenByKind(ReflectionKind.Module)) {
      module.name = module.name === 'index' ? packageName : `${packageName}/${module.name}`;
    }
  });
}
