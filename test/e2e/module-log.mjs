// Loaded with `node --import`: writes the URL of every module the process resolves to the file
// named by LOADED_MODULES_LOG, one a line. Tests read it to see what a command loaded.
import { register } from "node:module";

const hooks = `
import { appendFileSync } from "node:fs";
export async function resolve(specifier, context, next) {
  const result = await next(specifier, context);
  if (process.env.LOADED_MODULES_LOG) appendFileSync(process.env.LOADED_MODULES_LOG, result.url + "\\n");
  return result;
}
`;
register(`data:text/javascript,${encodeURIComponent(hooks)}`);
