/* global window, document, performance, fetch, setTimeout, clearTimeout, URL, Hls */
/**
 * Runs inside the page (added with page.addScriptTag after hls.min.js). One start-up attempt:
 * POST /api/v1/playback, attach hls.js (the player's config, HLS_PLAYER_CONFIG) to a muted <video>, loadSource(masterUrl),
 * play, and wait for the first frame. All times are performance.now() milliseconds of the page.
 *
 * First frame: the first video.requestVideoFrameCallback (its presentationTime: when the frame
 * was handed to the compositor); without rVFC, the first 'timeupdate' with currentTime > 0.
 * Bytes before the first frame: the Resource Timing entries of the page's requests that started
 * at or after loadSource and finished by the first frame, summed as encodedBodySize (the bytes of
 * the response bodies as sent; same-origin, so the browser exposes them). hls.js's own byte
 * counts (FRAG_LOADED / MANIFEST_LOADED / LEVEL_LOADED stats.loaded) are returned alongside.
 */
window.__kushStartupProbe = async function probe({ titleId, timeoutMs, config }) {
  const video = document.createElement('video');
  video.muted = true;
  video.playsInline = true;
  video.width = 360;
  video.height = 202;
  document.body.appendChild(video);

  const clickAt = performance.now();
  const res = await fetch('/api/v1/playback', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ titleId }),
  });
  const bodyText = await res.text();
  if (res.status !== 200) throw new Error(`POST /api/v1/playback answered ${res.status}: ${bodyText.slice(0, 300)}`);
  const playback = JSON.parse(bodyText);
  const playbackAt = performance.now();

  if (!Hls.isSupported()) throw new Error('hls.js: Media Source Extensions are not supported in this browser');
  const hls = new Hls(config);
  const loads = [];
  const hlsErrors = [];
  let firstChangedLevel;
  const stat = (kind, stats, extra) =>
    loads.push({
      kind,
      bytes: stats.loaded,
      start: stats.loading.start,
      first: stats.loading.first,
      end: stats.loading.end,
      ...extra,
    });
  hls.on(Hls.Events.MANIFEST_LOADED, (_e, d) => stat('master', d.stats, {}));
  hls.on(Hls.Events.LEVEL_LOADED, (_e, d) => stat('playlist', d.stats, { level: d.level }));
  hls.on(Hls.Events.FRAG_LOADED, (_e, d) =>
    stat(d.frag.sn === 'initSegment' ? 'init' : 'segment', d.frag.stats, { level: d.frag.level, sn: d.frag.sn }),
  );
  hls.on(Hls.Events.FRAG_CHANGED, (_e, d) => {
    if (firstChangedLevel === undefined) firstChangedLevel = d.frag.level;
  });

  let firstFrame;
  const frame = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no frame within ${timeoutMs} ms`)), timeoutMs);
    const done = (at, method) => {
      clearTimeout(timer);
      resolve({ at, method });
    };
    hls.on(Hls.Events.ERROR, (_e, d) => {
      // After the first frame the probe stops loading, which aborts the next segment: not an error of the start-up.
      if (firstFrame) return;
      hlsErrors.push({ type: d.type, details: d.details, fatal: d.fatal });
      if (d.fatal) {
        clearTimeout(timer);
        reject(new Error(`hls.js fatal error: ${d.type} ${d.details}`));
      }
    });
    video.addEventListener('error', () => reject(new Error(`video error ${video.error && video.error.code}`)));
    if ('requestVideoFrameCallback' in video) {
      video.requestVideoFrameCallback((now, meta) => done(meta.presentationTime || now, 'requestVideoFrameCallback'));
    } else {
      const onTime = () => {
        if (video.currentTime > 0) {
          video.removeEventListener('timeupdate', onTime);
          done(performance.now(), 'timeupdate');
        }
      };
      video.addEventListener('timeupdate', onTime);
    }
  });

  hls.attachMedia(video);
  const loadSourceAt = performance.now();
  hls.loadSource(playback.masterUrl);
  const played = video.play().then(
    () => null,
    (err) => String(err),
  );
  try {
    firstFrame = await frame;
  } finally {
    hls.stopLoad();
  }
  const playError = await Promise.race([played, new Promise((r) => setTimeout(() => r(null), 50))]);

  const resources = performance
    .getEntriesByType('resource')
    .filter((e) => e.startTime >= loadSourceAt - 1)
    .map((e) => ({
      url: new URL(e.name).pathname.replace(/\/stream\/[^/]+\//, '/stream/<token>/'),
      start: e.startTime,
      end: e.responseEnd,
      encodedBodySize: e.encodedBodySize,
      transferSize: e.transferSize,
    }));
  const before = resources.filter((r) => r.end <= firstFrame.at);
  const level = (i) => {
    const l = i === undefined || i < 0 ? undefined : hls.levels[i];
    return l
      ? { index: i, height: l.height, width: l.width, bitrate: l.bitrate, averageBitrate: l.averageBitrate }
      : null;
  };
  const firstSegment = loads.find((l) => l.kind === 'segment');
  const result = {
    playbackRequestMs: playbackAt - clickAt,
    firstFrameMs: firstFrame.at - loadSourceAt,
    firstFrameFromClickMs: firstFrame.at - clickAt,
    firstFrameMethod: firstFrame.method,
    bytesBeforeFirstFrame: before.reduce((n, r) => n + r.encodedBodySize, 0),
    requestsBeforeFirstFrame: before.length,
    hlsBytesBeforeFirstFrame: loads.filter((l) => l.end <= firstFrame.at).reduce((n, l) => n + l.bytes, 0),
    startLevel: level(firstChangedLevel !== undefined ? firstChangedLevel : hls.currentLevel),
    firstLoadedLevel: level(firstSegment ? firstSegment.level : undefined),
    levels: hls.levels.map((_l, i) => level(i)),
    loads: loads.map((l) => ({
      ...l,
      start: l.start - loadSourceAt,
      first: l.first - loadSourceAt,
      end: l.end - loadSourceAt,
    })),
    resources: resources.map((r) => ({ ...r, start: r.start - loadSourceAt, end: r.end - loadSourceAt })),
    hlsErrors,
    playError,
    hlsVersion: Hls.version,
  };
  hls.destroy();
  return result;
};
