/** Word lists for realistic seed data (invented names; coordinates are city centres). */

export interface City {
  city: string;
  country: string;
  /** Only where the contract's state enums apply (US, AU, CA). */
  state?: string;
  region: string;
  lat: number;
  lon: number;
  timezone: string;
  postCode: string;
  streets: string[];
  locale: string;
}

export const CITIES: City[] = [
  { city: 'Sofia', country: 'BG', region: 'Sofia City', lat: 42.6977, lon: 23.3219, timezone: 'Europe/Sofia', postCode: '1000', streets: ['Vitosha Blvd', 'Tsarigradsko Shose', 'Bulgaria Blvd'], locale: 'bg' },
  { city: 'Plovdiv', country: 'BG', region: 'Plovdiv', lat: 42.1354, lon: 24.7453, timezone: 'Europe/Sofia', postCode: '4000', streets: ['Maritsa Blvd', 'Ruski Blvd'], locale: 'bg' },
  { city: 'Berlin', country: 'DE', region: 'Berlin', lat: 52.52, lon: 13.405, timezone: 'Europe/Berlin', postCode: '10115', streets: ['Invalidenstrasse', 'Torstrasse', 'Kantstrasse'], locale: 'de' },
  { city: 'Munich', country: 'DE', region: 'Bavaria', lat: 48.1351, lon: 11.582, timezone: 'Europe/Berlin', postCode: '80331', streets: ['Leopoldstrasse', 'Landsberger Strasse'], locale: 'de' },
  { city: 'Amsterdam', country: 'NL', region: 'North Holland', lat: 52.3676, lon: 4.9041, timezone: 'Europe/Amsterdam', postCode: '1012', streets: ['Damrak', 'Overtoom', 'Wibautstraat'], locale: 'nl' },
  { city: 'London', country: 'GB', region: 'Greater London', lat: 51.5072, lon: -0.1276, timezone: 'Europe/London', postCode: 'EC1A 1BB', streets: ['Old Street', 'King Street', 'Euston Road'], locale: 'en' },
  { city: 'Paris', country: 'FR', region: 'Ile-de-France', lat: 48.8566, lon: 2.3522, timezone: 'Europe/Paris', postCode: '75001', streets: ['Rue de Rivoli', 'Boulevard Voltaire'], locale: 'fr' },
  { city: 'Austin', country: 'US', state: 'TX', region: 'Texas', lat: 30.2672, lon: -97.7431, timezone: 'America/Chicago', postCode: '78701', streets: ['Congress Ave', 'Lamar Blvd'], locale: 'en' },
  { city: 'Denver', country: 'US', state: 'CO', region: 'Colorado', lat: 39.7392, lon: -104.9903, timezone: 'America/Denver', postCode: '80202', streets: ['Colfax Ave', 'Broadway'], locale: 'en' },
  { city: 'Sydney', country: 'AU', state: 'NSW', region: 'New South Wales', lat: -33.8688, lon: 151.2093, timezone: 'Australia/Sydney', postCode: '2000', streets: ['George Street', 'Pitt Street'], locale: 'en' },
  { city: 'Toronto', country: 'CA', state: 'ON', region: 'Ontario', lat: 43.6532, lon: -79.3832, timezone: 'America/Toronto', postCode: 'M5H 2N2', streets: ['Queen Street West', 'Yonge Street'], locale: 'en' },
];

export const SITE_KINDS = ['Charging Hub', 'Mall Parking', 'Office Park', 'Supermarket', 'Hotel', 'Park & Ride', 'Depot'];

export const ZONE_NAMES = ['Level -1', 'Level 0', 'Level 1', 'Visitor parking', 'Staff parking', 'Fleet depot', 'Rooftop', 'North wing', 'South wing'];

export const FIRST_NAMES = [
  'Maria', 'Ivan', 'Georgi', 'Elena', 'Anna', 'Lukas', 'Sophie', 'Jan', 'Emma', 'Noah', 'Olivia', 'Liam', 'Mia',
  'Lucas', 'Chloe', 'James', 'Amelia', 'Hugo', 'Lea', 'Daniel', 'Nikolay', 'Petra', 'Tom', 'Sara', 'Max',
];
export const LAST_NAMES = [
  'Ivanova', 'Petrov', 'Dimitrov', 'Georgieva', 'Müller', 'Schmidt', 'de Vries', 'Jansen', 'Smith', 'Brown',
  'Martin', 'Bernard', 'Johnson', 'Garcia', 'Wilson', 'Nguyen', 'Taylor', 'Koch', 'Bakker', 'Moreau',
];

export const VENDORS: { vendor: string; models: string[] }[] = [
  { vendor: 'ABB', models: ['Terra AC W22', 'Terra 54 CJG', 'Terra 184'] },
  { vendor: 'Alpitronic', models: ['HYC150', 'HYC300'] },
  { vendor: 'Wallbox', models: ['Pulsar Plus', 'Copper SB'] },
  { vendor: 'Kempower', models: ['S-Series', 'T-Series'] },
  { vendor: 'Zaptec', models: ['Go', 'Pro'] },
  { vendor: 'Ekoenergetyka', models: ['Axon Easy 40'] },
];

export const TAGS = ['public', 'fast', 'fleet', 'destination', 'retail', 'highway', 'hotel', 'office'];
