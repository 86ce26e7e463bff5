/**
 * Discovery of printed forms: every folder of the reports directory (the configuration's
 * reports/, beside its metadata folder, or REPORTS_DIR) is one form —
 *   manifest.yaml   title, what it applies to, parameters, page, CSV columns (manifest.ts)
 *   template.hbs    the Handlebars template (template.ts; helpers in helpers.ts)
 *   data.ts         optional: `export default async (ctx: ReportContext, params) => context`
 *   style.css       optional: the form's own styles
 * Folders whose name starts with "_" or "." hold shared code, not forms. The directory is read
 * again on every listing and a changed file is reloaded, so adding or editing a folder needs no
 * restart. A form whose manifest, template or data module is broken is still listed, with its
 * error, and rendering it answers that error. Messages name the form and its file
 * ("manifest.yaml"), never the server's folders.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { QueryApi } from "../api.ts";
import type { Configuration } from "../metadata/types.ts";
import { AppError, notFound } from "../errors.ts";
import { ManifestError, parseManifest, type Manifest } from "./manifest.ts";
import type { ReportParams } from "./params.ts";
import { compileTemplate, type Template } from "./template.ts";

/** What a data module gets besides the parameters: the configuration's read API. */
export interface ReportContext extends QueryApi {
  area: number;
  report: { name: string; title: string };
}

export type DataModule = (
  ctx: ReportContext,
  params: ReportParams,
) => Promise<Record<string, unknown>> | Record<string, unknown>;

export interface Form {
  name: string;
  dir: string;
  /** null when the manifest is broken (see error). */
  manifest: Manifest | null;
  error: string | null;
  style: string;
  template(): Template;
  data(): Promise<DataModule>;
}

export const FILES = {
  manifest: "manifest.yaml",
  template: "template.hbs",
  data: "data.ts",
  style: "style.css",
} as const;

const mtime = (f: string) => (existsSync(f) ? statSync(f).mtimeMs : 0);

export class FormRegistry {
  private cache = new Map<string, { stamp: string; form: Form }>();

  constructor(
    public readonly dir: string,
    private readonly conf: Configuration,
  ) {}

  /** Every form, by name. */
  list(): Form[] {
    if (!existsSync(this.dir)) return [];
    const names = readdirSync(this.dir, { withFileTypes: true })
      .filter(
        (e) =>
          (e.isDirectory() || e.isSymbolicLink()) &&
          !/^[_.]/.test(e.name) &&
          statSync(join(this.dir, e.name)).isDirectory(),
      )
      .map((e) => e.name)
      .sort();
    for (const n of [...this.cache.keys()]) if (!names.includes(n)) this.cache.delete(n);
    return names.map((n) => this.load(n));
  }

  /** The form `name`, or a 404 naming it (and nothing of the server's folders). */
  get(name: string): Form {
    if (
      !/^[a-z0-9][a-z0-9-]*$/i.test(name) ||
      !existsSync(join(this.dir, name)) ||
      !statSync(join(this.dir, name)).isDirectory()
    )
      throw notFound(`Отчета или печатной формы «${name.length > 100 ? name.slice(0, 97) + "..." : name}» нет`);
    return this.load(name);
  }

  /** A file of a form as messages name it: the file's name alone (the form is named beside it), never the server's folders. */
  private rel(f: string): string {
    return basename(f);
  }

  /** An error's text without the server's folders: a path becomes its file name (a data module's import errors name absolute paths). */
  private hidePaths(message: string): string {
    const roots = [pathToFileURL(this.dir).href, resolve(this.dir)].map((r) =>
      r.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"),
    );
    return message
      .replace(new RegExp(`(?:${roots.join("|")})[\\/]`, "g"), "")
      .replace(/(?:file:\/\/)?(?:\/|[A-Za-z]:\\)[^\s'"`:()]*[\\/]([^\s'"`:()\\/]+)/g, "$1");
  }

  private load(name: string): Form {
    const dir = join(this.dir, name);
    const files = Object.fromEntries(Object.entries(FILES).map(([k, f]) => [k, join(dir, f)])) as Record<
      keyof typeof FILES,
      string
    >;
    const stamp = Object.values(files).map(mtime).join(":");
    const hit = this.cache.get(name);
    if (hit && hit.stamp === stamp) return hit.form;

    let manifest: Manifest | null = null;
    let error: string | null = null;
    try {
      if (!existsSync(files.manifest))
        throw new ManifestError(
          `${this.rel(files.manifest)}: нет файла — в папке формы нужны manifest.yaml и template.hbs`,
        );
      if (!existsSync(files.template)) throw new ManifestError(`${this.rel(files.template)}: нет файла шаблона`);
      manifest = parseManifest(readFileSync(files.manifest, "utf8"), name, this.rel(files.manifest), this.conf);
    } catch (e) {
      if (!(e instanceof ManifestError)) throw e;
      error = e.message;
    }
    const broken = () => new AppError(500, "form_error", `Форма «${name}» не загружена: ${error}`);
    let template: Template | undefined;
    let data: Promise<DataModule> | undefined;
    const form: Form = {
      name,
      dir,
      manifest,
      error,
      style: existsSync(files.style) ? readFileSync(files.style, "utf8") : "",
      template: () => {
        if (error) throw broken();
        return (template ??= compileTemplate(name, this.rel(files.template), readFileSync(files.template, "utf8")));
      },
      data: () => {
        if (error) return Promise.reject(broken());
        if (!existsSync(files.data))
          return Promise.resolve((_ctx: ReportContext, params: ReportParams) => ({ parameters: params }));
        // The file's time in the URL: an edited data module is imported afresh.
        data ??= import(`${pathToFileURL(files.data).href}?v=${mtime(files.data)}`).then(
          (mod) => {
            if (typeof mod.default !== "function")
              throw new AppError(
                500,
                "form_error",
                `Форма «${name}»: ${this.rel(files.data)} должен экспортировать по умолчанию async (ctx, params) => контекст шаблона`,
              );
            return mod.default as DataModule;
          },
          (e) => {
            data = undefined;
            throw new AppError(
              500,
              "form_error",
              `Форма «${name}»: ${this.rel(files.data)} не загружается: ${this.hidePaths((e as Error).message)}`,
            );
          },
        );
        return data;
      },
    };
    this.cache.set(name, { stamp, form });
    return form;
  }
}
