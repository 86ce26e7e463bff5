/** Styles of the shell: Taxi-like sections panel, content links, open-tabs strip. */
import { css } from "lit";

export const shellStyles = css`
  :host { display: block; height: 100%; }
  .frame { display: flex; flex-direction: column; height: 100%; font: 13px/1.35 Arial, "Helvetica Neue", sans-serif; color: #333; }
  .top { background: #4d4d4d; color: #fff; padding: 4px 12px; font-weight: bold; display: flex; align-items: center; justify-content: space-between; }
  .relogin { position: fixed; inset: 0; background: rgba(0, 0, 0, 0.35); display: flex; align-items: center; justify-content: center; z-index: 100; }
  .sections { display: flex; background: #fbed9e; border-bottom: 1px solid #d9c36c; padding: 0 6px; flex-wrap: wrap; }
  .section { font: inherit; background: none; border: none; padding: 8px 14px; cursor: pointer; color: #333; font-size: 14px; }
  .section:hover { background: #fff3c4; }
  .section.current { background: #fff; border-left: 1px solid #d9c36c; border-right: 1px solid #d9c36c; margin-bottom: -1px; font-weight: bold; }
  .body { flex: 1; display: flex; min-height: 0; }
  .content { width: 230px; flex: none; border-right: 1px solid #ddd; padding: 8px 12px; overflow: auto; background: #fff; }
  .content h2 { font-size: 15px; margin: 4px 0 8px; }
  .content h3 { font-size: 12px; color: #888; margin: 12px 0 4px; font-weight: normal; text-transform: uppercase; }
  .link { display: block; color: #1a4ea1; text-decoration: none; padding: 3px 0; }
  .link:hover { text-decoration: underline; }
  .none, .empty { color: #999; padding: 16px; }
  .work { flex: 1; display: flex; flex-direction: column; min-width: 0; }
  .tabstrip { display: flex; background: #eee; border-bottom: 1px solid #ccc; overflow-x: auto; flex: none; min-height: 28px; }
  .tab { display: flex; align-items: center; gap: 4px; padding: 4px 6px 4px 10px; border-right: 1px solid #ccc; cursor: pointer; max-width: 320px; white-space: nowrap; }
  .tab .caption { overflow: hidden; text-overflow: ellipsis; }
  .tab.active { background: #fff; margin-bottom: -1px; border-top: 2px solid #d9a400; }
  .tab .x { font: inherit; border: none; background: none; cursor: pointer; color: #888; padding: 0 3px; }
  .tab .x:hover { color: #c00; }
  .pages { flex: 1; min-height: 0; position: relative; }
  .page { position: absolute; inset: 0; overflow: auto; }
  .page[hidden] { display: none; }
  .failure { color: #b00; padding: 20px; }
  .loading { color: #888; padding: 20px; }
`;
