/**
 * The random id a browser keeps for ad frequency caps when nobody is signed in. The player reads
 * it from localStorage; server-rendered banner slots cannot, so it is mirrored in a cookie that
 * they pass on as the decision's deviceId. Without it every signed-out visitor of a server-rendered
 * slot would share one identity (the web server's address), and one visitor's capped views would
 * use up everyone's.
 */
export const AD_DEVICE_KEY = 'kf_ad_device';
/** What the API accepts as a deviceId. */
export const AD_DEVICE_ID = /^[A-Za-z0-9_-]{8,64}$/;
