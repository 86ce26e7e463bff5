/** The client's entry: registers the components; index.html holds <app-shell>. */
import "./shell/app-shell.ts";
import "./tabular/index.ts";
