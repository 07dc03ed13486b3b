import { describe, expect, it } from 'vitest';
import {
  codecsFromInitSegment,
  type MasterVariant,
  orderVariants,
  parseMediaPlaylist,
  renderMasterPlaylist,
} from './master';

const variant = (nominalHeight: number, bandwidth: number): MasterVariant => ({
  playlist: `v${nominalHeight}/index.m3u8`,
  nominalHeight,
  width: Math.round((nominalHeight * 16) / 9 / 2) * 2,
  height: nominalHeight,
  bandwidth,
  averageBandwidth: Math.round(bandwidth * 0.9),
  codecs: 'avc1.4d401e,mp4a.40.2',
  frameRate: 30000 / 1001,
});

describe('master playlist', () => {
  const ladder = [
    variant(720, 2_300_000),
    variant(144, 190_000),
    variant(480, 1_050_000),
    variant(240, 330_000),
    variant(360, 640_000),
  ];

  it('starts on 240p, then lists the rest ascending', () => {
    expect(orderVariants(ladder).map((v) => v.nominalHeight)).toEqual([240, 144, 360, 480, 720]);
    expect(orderVariants([variant(144, 1)]).map((v) => v.nominalHeight)).toEqual([144]);
    expect(orderVariants([variant(98, 1)]).map((v) => v.nominalHeight)).toEqual([98]);
    expect(orderVariants(ladder, 360).map((v) => v.nominalHeight)).toEqual([360, 144, 240, 480, 720]);
  });

  it('has the version, independent segments and every required attribute', () => {
    const text = renderMasterPlaylist({ variants: ladder });
    const lines = text.trimEnd().split('\n');
    expect(lines.slice(0, 3)).toEqual(['#EXTM3U', '#EXT-X-VERSION:7', '#EXT-X-INDEPENDENT-SEGMENTS']);
    expect(lines[3]).toBe(
      '#EXT-X-STREAM-INF:BANDWIDTH=330000,AVERAGE-BANDWIDTH=297000,RESOLUTION=426x240,FRAME-RATE=29.970,' +
        'CODECS="avc1.4d401e,mp4a.40.2"',
    );
    expect(lines[4]).toBe('v240/index.m3u8');
    expect(text).not.toContain('SUBTITLES');
  });
});

describe('parseMediaPlaylist', () => {
  it('reads the map, segment durations and URIs', () => {
    const parsed = parseMediaPlaylist(
      '#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-TARGETDURATION:4\n#EXT-X-MAP:URI="init.mp4"\n' +
        '#EXTINF:4.000000,\nseg_00001.m4s\n#EXTINF:2.5,\nseg_00002.m4s\n#EXT-X-ENDLIST\n',
    );
    expect(parsed).toEqual({
      targetDuration: 4,
      map: 'init.mp4',
      segments: [
        { uri: 'seg_00001.m4s', durationSeconds: 4 },
        { uri: 'seg_00002.m4s', durationSeconds: 2.5 },
      ],
    });
    expect(() => parseMediaPlaylist('not a playlist')).toThrow();
  });

  it('reads the codec string from an init segment', () => {
    const init = Buffer.concat([
      Buffer.from('....avcC'),
      Buffer.from([1, 0x64, 0x00, 0x1f, 0xff]),
      Buffer.from('mp4a'),
    ]);
    expect(codecsFromInitSegment(init)).toBe('avc1.64001f,mp4a.40.2');
  });
});
