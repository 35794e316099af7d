// The app's version, as package.json states it (a unit test keeps the two equal). The renderer
// and the core both show it; neither reads package.json at run time.
export const APP_VERSION = '0.1.0';
