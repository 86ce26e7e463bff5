/**
 * AG Grid Community registered once for the whole client (all community modules) and the
 * theme the client's grids share: Quartz, compact, with 1C's pale-yellow selection.
 */
import { AllCommunityModule, ModuleRegistry, themeQuartz } from "ag-grid-community";

ModuleRegistry.registerModules([AllCommunityModule]);

export const gridTheme = themeQuartz.withParams({
  fontFamily: 'Arial, "Helvetica Neue", sans-serif',
  fontSize: 13,
  headerFontSize: 13,
  rowHeight: 26,
  headerHeight: 28,
  spacing: 5,
  headerBackgroundColor: "#f2f2f2",
  selectedRowBackgroundColor: "#fdf3c8",
  rangeSelectionBorderColor: "#d7a81f",
  accentColor: "#d7a81f",
  borderRadius: 2,
  wrapperBorderRadius: 2,
});
