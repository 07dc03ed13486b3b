'use client';
import { useEffect, useRef } from 'react';
import type { QualityLevel, SubtitleTrack } from './engine';
import { DATA_SAVER_CHOICES, type DataSaverMode, formatDataPerHour } from './quality';
import type { PlayerStrings } from './strings';

interface SettingsPanelProps {
  levels: QualityLevel[];
  /** -1 is automatic. */
  selectedLevel: number;
  /** The level on screen, for "Auto (360p)". */
  playingLevel: number;
  /** Levels above this index are beyond the data saver; -1 means none are. */
  capIndex: number;
  dataSaver: DataSaverMode;
  subtitles: SubtitleTrack[];
  selectedSubtitle: number;
  onLevel(index: number): void;
  onDataSaver(mode: DataSaverMode): void;
  onSubtitle(index: number): void;
  onClose(): void;
  strings: PlayerStrings;
}

const legend = 'mb-1 text-xs font-semibold tracking-widest text-white/70 uppercase';
const option =
  'flex min-h-11 cursor-pointer items-center gap-3 rounded-md px-2 text-sm has-[:checked]:bg-white/10 has-[:disabled]:cursor-not-allowed has-[:disabled]:text-white/60 has-[:focus-visible]:outline has-[:focus-visible]:outline-3 has-[:focus-visible]:outline-gold';
const radio = 'size-4 accent-gold focus-visible:outline-none';

/** Quality, data saver and subtitles as native radio groups: arrow keys, labels and states come free. */
export function SettingsPanel(props: SettingsPanelProps) {
  const panel = useRef<HTMLDivElement>(null);

  useEffect(() => {
    panel.current?.querySelector<HTMLInputElement>('input:checked')?.focus();
  }, []);

  const t = props.strings;
  const playing = props.levels[props.playingLevel];
  const descending = [...props.levels].reverse();

  return (
    <div
      ref={panel}
      role="dialog"
      aria-label={t.playerSettingsPanel}
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          props.onClose();
        }
      }}
      className="absolute right-2 bottom-full mb-2 max-h-[min(70vh,28rem)] w-[min(20rem,calc(100vw-1rem))] overflow-y-auto rounded-lg border border-white/15 bg-ink/95 p-3 text-white shadow-2xl"
    >
      <div className="flex flex-col gap-4">
        {props.levels.length > 1 ? (
          <fieldset>
            <legend className={legend}>{t.playerQuality}</legend>
            <label className={option}>
              <input
                type="radio"
                name="quality"
                className={radio}
                checked={props.selectedLevel === -1}
                onChange={() => props.onLevel(-1)}
              />
              <span>
                {t.playerQualityAuto}
                {props.selectedLevel === -1 && playing ? ` (${playing.height}p)` : ''}
                <span className="block text-xs text-white/70">{t.playerDataSaverAutoHint}</span>
              </span>
            </label>
            {descending.map((level) => {
              const overCap = props.capIndex !== -1 && level.index > props.capIndex;
              return (
                <label key={level.index} className={option}>
                  <input
                    type="radio"
                    name="quality"
                    className={radio}
                    checked={props.selectedLevel === level.index}
                    disabled={overCap}
                    onChange={() => props.onLevel(level.index)}
                  />
                  <span>
                    {level.height}p
                    <span className="block text-xs text-white/70">
                      {formatDataPerHour(level.bitrate)}
                      {overCap ? ` · ${t.playerAboveDataSaver}` : ''}
                    </span>
                  </span>
                </label>
              );
            })}
          </fieldset>
        ) : null}

        <fieldset>
          <legend className={legend}>{t.playerDataSaver}</legend>
          {DATA_SAVER_CHOICES.map((choice) => (
            <label key={choice.mode} className={option}>
              <input
                type="radio"
                name="data-saver"
                className={radio}
                checked={props.dataSaver === choice.mode}
                onChange={() => props.onDataSaver(choice.mode)}
              />
              <span>
                {t[choice.label]}
                <span className="block text-xs text-white/70">{t[choice.hint]}</span>
              </span>
            </label>
          ))}
        </fieldset>

        {props.subtitles.length > 0 ? (
          <fieldset>
            <legend className={legend}>{t.playerSubtitles}</legend>
            {[{ index: -1, label: t.playerSubtitlesOffOption, language: '' }, ...props.subtitles].map((track) => (
              <label key={track.index} className={option}>
                <input
                  type="radio"
                  name="subtitles"
                  className={radio}
                  checked={props.selectedSubtitle === track.index}
                  onChange={() => props.onSubtitle(track.index)}
                />
                <span lang={track.language || undefined}>{track.label}</span>
              </label>
            ))}
          </fieldset>
        ) : null}
      </div>
    </div>
  );
}
