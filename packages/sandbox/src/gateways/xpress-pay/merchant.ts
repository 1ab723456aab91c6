/** The spec's public sandbox AppID: the spec's own examples work as they are. */
export const XPRESS_PAY_APP_ID = "c551c980b045d827f3d910fbdf8c1ddb";
