/**
 * Fictional sample titles for a new embedded install: short test pictures with tones, so a
 * newcomer can browse and play within minutes of `npm start`. Names, synopses and people are
 * invented; synopses come in English, Luganda and Swahili.
 */
export interface SampleTitle {
  name: string;
  synopsis: string;
  year: number;
  seconds: number;
  accessTier: 'free' | 'premium';
  maturityRating: 'G' | 'PG' | '13' | '16' | '18';
  originalLanguage: 'en' | 'lg' | 'sw';
  audioLanguages: string[];
  genres: string[];
  categories: string[];
  featured?: boolean;
  /** Background colour of the test picture. */
  colour: string;
  tone: number;
}

export const SAMPLE_TITLES: readonly SampleTitle[] = [
  {
    name: 'The Girl in the Yellow Jumper',
    synopsis:
      'A schoolgirl in Jinja follows a trail of yellow threads to a secret her grandmother kept for fifty years. (Sample title.)',
    year: 2024,
    seconds: 30,
    accessTier: 'free',
    maturityRating: 'PG',
    originalLanguage: 'en',
    audioLanguages: ['en', 'lg'],
    genres: ['drama', 'kids-family'],
    categories: ['ugandan-stories', 'free-to-watch'],
    featured: true,
    colour: '0xC8A200',
    tone: 440,
  },
  {
    name: 'Ekyama kya Nalubaale',
    synopsis:
      "Omuvubi omuto asanga ekyama ku lubalama lw'ennyanja Nalubaale, era obulamu bwe bukyuka emirembe gyonna. (Ekifaananyi eky'okugezesa.)",
    year: 2023,
    seconds: 28,
    accessTier: 'premium',
    maturityRating: '13',
    originalLanguage: 'lg',
    audioLanguages: ['lg'],
    genres: ['thriller'],
    categories: ['ugandan-stories', 'in-luganda'],
    colour: '0x1F4E79',
    tone: 330,
  },
  {
    name: 'Safari ya Mwisho',
    synopsis:
      'Dereva wa basi kutoka Kampala hadi Mombasa anabeba abiria wenye siri nzito katika safari yake ya mwisho. (Filamu ya majaribio.)',
    year: 2022,
    seconds: 26,
    accessTier: 'premium',
    maturityRating: '16',
    originalLanguage: 'sw',
    audioLanguages: ['sw', 'en'],
    genres: ['drama', 'crime'],
    categories: ['east-african-favourites'],
    colour: '0x7A1F1F',
    tone: 294,
  },
  {
    name: 'Boda Boda Kings',
    synopsis:
      'Three boda boda riders enter a Kampala-wide delivery race with a borrowed motorbike and no brakes. (Sample title.)',
    year: 2024,
    seconds: 24,
    accessTier: 'free',
    maturityRating: '13',
    originalLanguage: 'en',
    audioLanguages: ['en'],
    genres: ['comedy', 'action'],
    categories: ['ugandan-stories', 'free-to-watch'],
    colour: '0x2E7D32',
    tone: 523,
  },
  {
    name: 'Ennyimba za Kampala',
    synopsis: "Abayimbi b'e Kampala bategeka ekivvulu ekinene mu wiiki emu yokka. (Ekifaananyi eky'okugezesa.)",
    year: 2021,
    seconds: 22,
    accessTier: 'free',
    maturityRating: 'G',
    originalLanguage: 'lg',
    audioLanguages: ['lg', 'en'],
    genres: ['music', 'documentary'],
    categories: ['in-luganda', 'documentaries', 'free-to-watch'],
    colour: '0x6A1B9A',
    tone: 392,
  },
  {
    name: 'Rwenzori Rising',
    synopsis:
      'A documentary following guides and porters on the glaciers of the Mountains of the Moon. (Sample title.)',
    year: 2023,
    seconds: 32,
    accessTier: 'premium',
    maturityRating: 'G',
    originalLanguage: 'en',
    audioLanguages: ['en', 'sw'],
    genres: ['documentary'],
    categories: ['documentaries', 'east-african-favourites'],
    colour: '0x00695C',
    tone: 262,
  },
  {
    name: 'Kabaka the Little Lion',
    synopsis:
      'An animated lion cub learns to share the watering hole with every animal of the savannah. (Sample title.)',
    year: 2024,
    seconds: 20,
    accessTier: 'free',
    maturityRating: 'G',
    originalLanguage: 'en',
    audioLanguages: ['en', 'lg', 'sw'],
    genres: ['animation', 'kids-family'],
    categories: ['kids', 'free-to-watch'],
    colour: '0xE65100',
    tone: 587,
  },
  {
    name: 'Mapenzi Mtaani',
    synopsis:
      'Wapenzi wawili kutoka mitaa miwili ya Kampala wanapambana na familia zao ili wawe pamoja. (Filamu ya majaribio.)',
    year: 2022,
    seconds: 25,
    accessTier: 'premium',
    maturityRating: '16',
    originalLanguage: 'sw',
    audioLanguages: ['sw'],
    genres: ['romance', 'drama'],
    categories: ['east-african-favourites'],
    colour: '0xAD1457',
    tone: 349,
  },
];
