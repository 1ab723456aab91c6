// PLACEHOLDER (demo helper): the demo store at /demo.
import type { RouteModule } from "../app";
export const demoRoutes: RouteModule = () => undefined;
