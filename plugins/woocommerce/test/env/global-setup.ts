import { existsSync } from "node:fs";
import path from "node:path";
import buildBlocks from "../blocks/global-setup";

/**
 * The WordPress tests load the plugin as shipped, block bundle included: build it when it is missing
 * (the root run's woocommerce-blocks project builds it anyway; this covers running this project alone).
 */
export default function globalSetup(): void {
  if (!existsSync(path.resolve(__dirname, "../../build/index.asset.php"))) buildBlocks();
}
