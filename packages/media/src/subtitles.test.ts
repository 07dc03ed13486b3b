import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderMasterPlaylist } from './master';
import {
  parseSubtitles,
  renderSubtitlePlaylist,
  sanitizeCueText,
  SubtitleError,
  toWebVtt,
  writeSubtitleTrack,
} from './subtitles';
import { tempDir } from './test-support';

const SRT = `1
00:00:01,000 --> 00:00:02,500
<font color="#ff0000">Hello</font> <i>there</i>

2
00:00:03,000 --> 00:00:04,000
{\\an8}Top line
Second & line <3

`;

const codeOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    return err instanceof SubtitleError ? err.code : 'other';
  }
  return 'none';
};

describe('subtitles', () => {
  it('converts SRT to WebVTT, keeping only <i>, <b>, <u> and escaping the rest', () => {
    expect(toWebVtt(SRT)).toBe(
      'WEBVTT\n\n00:00:01.000 --> 00:00:02.500\nHello <i>there</i>\n\n' +
        '00:00:03.000 --> 00:00:04.000\nTop line\nSecond &amp; line &lt;3\n',
    );
  });

  it('normalises WebVTT: drops STYLE/NOTE blocks, unknown settings, voice and class tags', () => {
    const vtt = `WEBVTT - title

STYLE
::cue { color: red; background-image: url(http://evil/x) }

NOTE a comment

intro
00:00.500 --> 00:02.000 align:start position:10% onclick:alert(1)
<v Speaker>Hi</v> <c.yellow>there</c> <b>bold</b> <script>x</script>

00:01:00.000 --> 00:01:01.000
a --> b
`;
    expect(toWebVtt(vtt)).toBe(
      'WEBVTT\n\n00:00:00.500 --> 00:00:02.000 align:start position:10%\nHi there <b>bold</b> x\n\n' +
        '00:01:00.000 --> 00:01:01.000\na --&gt; b\n',
    );
  });

  it('reads Windows-1252 files and strips a UTF-8 BOM', () => {
    const latin = Buffer.from('1\n00:00:01,000 --> 00:00:02,000\nCaf\xe9\n', 'latin1');
    expect(toWebVtt(latin)).toContain('Café');
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('WEBVTT\n\n00:01.000 --> 00:02.000\nx\n')]);
    expect(parseSubtitles(bom).format).toBe('vtt');
  });

  it('refuses anything that is not SRT or WebVTT, and oversized files', () => {
    expect(codeOf(() => toWebVtt('{"cues": []}'))).toBe('not_subtitles');
    expect(codeOf(() => toWebVtt('#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n'))).toBe('not_subtitles');
    expect(codeOf(() => toWebVtt(Buffer.from([0x00, 0x01, 0x02, 0x47])))).toBe('not_subtitles');
    expect(codeOf(() => toWebVtt('WEBVTT\n\nno cues here\n'))).toBe('no_cues');
    expect(codeOf(() => toWebVtt(SRT, 10))).toBe('too_large');
  });

  it('drops cues whose end is not after their start', () => {
    const { cues } = parseSubtitles(
      '1\n00:00:05,000 --> 00:00:04,000\nbackwards\n\n2\n00:00:06,000 --> 00:00:07,000\nok\n',
    );
    expect(cues.map((c) => c.text)).toEqual(['ok']);
  });

  it('sanitises cue text', () => {
    expect(sanitizeCueText('<I>a</I> <b class="x">b</b> <img src=x onerror=alert(1)> 1 < 2 & 3 > 2 &amp;')).toBe(
      '<i>a</i> <b>b</b>  1 &lt; 2 &amp; 3 &gt; 2 &amp;',
    );
  });

  it('writes a single-segment subtitle playlist and lists the track in the master', async () => {
    expect(renderSubtitlePlaylist(8.2, 'en.vtt')).toBe(
      '#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:9\n#EXT-X-MEDIA-SEQUENCE:0\n#EXT-X-PLAYLIST-TYPE:VOD\n' +
        '#EXTINF:8.200,\nen.vtt\n#EXT-X-ENDLIST\n',
    );
    const dir = await tempDir();
    try {
      const track = await writeSubtitleTrack({
        outputDir: dir.path,
        language: 'lg',
        name: 'Luganda "sub"',
        source: SRT,
        durationSeconds: 8,
      });
      expect(track).toEqual({ language: 'lg', name: 'Luganda sub', playlist: 'subs/lg.m3u8', vtt: 'subs/lg.vtt' });
      expect(await readFile(join(dir.path, track.vtt), 'utf8')).toMatch(/^WEBVTT\n/);
      expect(await readFile(join(dir.path, track.playlist), 'utf8')).toContain('\nlg.vtt\n');
      const master = renderMasterPlaylist({
        variants: [
          {
            playlist: 'v144/index.m3u8',
            nominalHeight: 144,
            width: 256,
            height: 144,
            bandwidth: 200_000,
            averageBandwidth: 180_000,
            codecs: 'avc1.4d401e,mp4a.40.2',
            frameRate: 25,
          },
        ],
        subtitles: [track],
      });
      expect(master).toContain(
        '#EXT-X-MEDIA:TYPE=SUBTITLES,GROUP-ID="subs",LANGUAGE="lg",NAME="Luganda sub",DEFAULT=NO,AUTOSELECT=YES,URI="subs/lg.m3u8"',
      );
      expect(master).toMatch(/#EXT-X-STREAM-INF:[^\n]*,SUBTITLES="subs"\n/);
      await expect(
        writeSubtitleTrack({ outputDir: dir.path, language: '../x', name: 'x', source: SRT, durationSeconds: 8 }),
      ).rejects.toMatchObject({ code: 'bad_language' });
    } finally {
      await dir.cleanup();
    }
  });
});
