// Names for the demo company's customers. The first few are hand-written so even a tiny demo
// shows the awkward cases a real ledger has (accents, non-Latin script, sub-accounts, no email,
// a second currency); the rest are composed from parts, so 100k invoices still read naturally.
// Every email domain is under .example (RFC 2606), so nothing here can reach a real inbox.

export interface CuratedCustomer {
  name: string;
  contact: string | null;
  /** null: the customer has no email on file. */
  domain: string | null;
  currency: 'USD' | 'EUR' | 'GBP';
  city: string;
  /** Index of the parent in this list (a sub-account billed separately). */
  parent?: number;
}

export const CURATED: readonly CuratedCustomer[] = [
  { name: 'Harbor Street Coffee Roasters', contact: 'Dana Whitfield', domain: 'harborstreetcoffee.example', currency: 'USD', city: 'Portland, OR' },
  { name: 'Café Lumière', contact: 'Élodie Marchand', domain: 'cafe-lumiere.example', currency: 'EUR', city: 'Paris' },
  { name: 'Müller & Söhne GmbH', contact: 'Jürgen Müller', domain: 'mueller-soehne.example', currency: 'EUR', city: 'München' },
  { name: 'Redwood Valley Dental', contact: 'Priya Raman', domain: null, currency: 'USD', city: 'Santa Rosa, CA' },
  { name: '東京トレーディング', contact: '佐藤 健', domain: 'tokyo-trading.example', currency: 'USD', city: '東京' },
  { name: 'Hartley & Finch Ltd', contact: 'Oliver Hartley', domain: 'hartleyfinch.example', currency: 'GBP', city: 'Bristol' },
  { name: 'Åkesson Design AB', contact: 'Linnea Åkesson', domain: 'akesson.example', currency: 'EUR', city: 'Malmö' },
  { name: 'Blue Heron Yoga', contact: 'Marisol Vega', domain: 'blueheronyoga.example', currency: 'USD', city: 'Austin, TX' },
  { name: 'Northgate Property Management', contact: 'Greg Olsen', domain: 'northgatepm.example', currency: 'USD', city: 'Denver, CO' },
  { name: 'Lumen Architecture Studio', contact: 'Ines Ferreira', domain: 'lumenarch.example', currency: 'USD', city: 'Providence, RI' },
  { name: 'Café Lumière — Le Marais', contact: 'Théo Laurent', domain: 'cafe-lumiere.example', currency: 'EUR', city: 'Paris', parent: 1 },
  { name: 'Pinecrest Family Farm', contact: null, domain: null, currency: 'USD', city: 'Lancaster, PA' },
  { name: 'Ølbryggeriet Nørrebro', contact: 'Søren Kjær', domain: 'olbryggeriet.example', currency: 'EUR', city: 'København' },
  { name: 'Maple & Main Bakery', contact: 'Hannah Brooks', domain: 'mapleandmain.example', currency: 'USD', city: 'Burlington, VT' },
  { name: 'Brightside Pediatrics', contact: 'Dr. Kwame Mensah', domain: 'brightsidepeds.example', currency: 'USD', city: 'Columbus, OH' },
  { name: 'Saint-Éloi Brasserie', contact: 'Amélie Dubois', domain: 'saint-eloi.example', currency: 'EUR', city: 'Lyon' },
  { name: 'Copperline Fitness', contact: 'Jordan Reyes', domain: 'copperline.example', currency: 'USD', city: 'Phoenix, AZ' },
  { name: 'Thistle & Rose Florists', contact: 'Fiona MacLeod', domain: 'thistlerose.example', currency: 'GBP', city: 'Edinburgh' },
  { name: 'Kowalski Hardware', contact: 'Tomasz Kowalski', domain: 'kowalskihw.example', currency: 'USD', city: 'Chicago, IL' },
  { name: 'São Paulo Imports LLC', contact: 'João Pereira', domain: 'spimports.example', currency: 'USD', city: 'Miami, FL' },
  { name: 'Greenleaf Landscaping', contact: 'Marcus Bell', domain: null, currency: 'USD', city: 'Raleigh, NC' },
  { name: 'Northgate Property Management — Elm Court', contact: 'Greg Olsen', domain: 'northgatepm.example', currency: 'USD', city: 'Denver, CO', parent: 8 },
  { name: 'Zürich Watch Atelier', contact: 'Beat Schneider', domain: 'zuerich-atelier.example', currency: 'EUR', city: 'Zürich' },
  { name: 'Sunset Ridge Winery', contact: 'Carla Moreno', domain: 'sunsetridge.example', currency: 'USD', city: 'Paso Robles, CA' },
  { name: 'Dvořák Music School', contact: 'Jana Dvořáková', domain: 'dvorakmusic.example', currency: 'EUR', city: 'Praha' },
  { name: 'Tidewater Marine Supply', contact: 'Ray Callahan', domain: 'tidewatermarine.example', currency: 'USD', city: 'Norfolk, VA' },
];

export const NAME_HEADS: readonly string[] = [
  'Harbor', 'Summit', 'Oak', 'Cedar', 'Granite', 'Willow', 'Beacon', 'Riverside', 'Meadow', 'Ironwood',
  'Lakeside', 'Silver', 'Golden', 'Evergreen', 'Highland', 'Coastal', 'Prairie', 'Juniper', 'Aspen', 'Canyon',
  'Bayview', 'Hillcrest', 'Foxglove', 'Stonebridge', 'Blackbird', 'Orchard', 'Pioneer', 'Lighthouse', 'Cobalt', 'Linden',
  'Marigold', 'Sparrow', 'Kestrel', 'Heritage', 'Brookfield', 'Fairview', 'Westwind', 'Northstar', 'Driftwood', 'Saffron',
];

export const NAME_TRADES: readonly string[] = [
  'Coffee Co.', 'Dental Group', 'Bakery', 'Fitness Studio', 'Realty', 'Law Office', 'Veterinary Clinic', 'Brewing Co.',
  'Books', 'Family Dentistry', 'Chiropractic', 'Landscaping', 'Events', 'Catering', 'Yoga', 'Animal Hospital',
  'Craft Supply', 'Wine Bar', 'Auto Care', 'Montessori School', 'Pharmacy', 'Physical Therapy', 'Salon & Spa',
  'Builders', 'Electric', 'Accounting', 'Outfitters', 'Pet Supply', 'Bistro', 'Marketing', 'Credit Union', 'Gallery',
];

export const NAME_FORMS: readonly string[] = ['', '', '', ' LLC', ' Inc.', ' Ltd', ' & Co.'];

export const EURO_HEADS: readonly string[] = [
  'Brasserie', 'Atelier', 'Bäckerei', 'Librería', 'Trattoria', 'Studio', 'Galerie', 'Konditorei', 'Papeterie', 'Hôtel',
];
export const EURO_TAILS: readonly string[] = [
  'Lefèvre', 'Schröder', 'Núñez', 'Bianchi', 'Østergaard', 'Leclerc', 'Weiß', 'Rossi', 'Jäger', 'Côté', 'Fábregas', 'Nyström',
];
export const EURO_FORMS: readonly string[] = [' GmbH', ' SARL', ' S.L.', ' S.r.l.', ' AB', ''];

export const FIRST_NAMES: readonly string[] = [
  'Alex', 'Sam', 'Jordan', 'Taylor', 'Morgan', 'Casey', 'Riley', 'Jamie', 'Avery', 'Quinn', 'Maria', 'David',
  'Aisha', 'Chen', 'Fatima', 'Lucas', 'Sofia', 'Mateo', 'Grace', 'Noah', 'Zoë', 'René', 'Björn', 'Chloé',
];
export const LAST_NAMES: readonly string[] = [
  'Nguyen', 'Patel', 'Garcia', 'Smith', 'Johnson', 'Okafor', 'Kim', 'Rossi', 'Brown', 'Martin', 'Cohen', 'Silva',
  'Lindqvist', 'Moreau', 'O’Brien', 'Novak', 'Haddad', 'Tanaka', 'Fischer', 'Walsh',
];

export const CITIES: readonly string[] = [
  'Portland, OR', 'Boise, ID', 'Madison, WI', 'Asheville, NC', 'Tucson, AZ', 'Savannah, GA', 'Duluth, MN',
  'Spokane, WA', 'Albany, NY', 'Fort Collins, CO', 'Omaha, NE', 'Charleston, SC', 'Burlington, VT', 'Reno, NV',
];
export const EURO_CITIES: readonly string[] = ['Lyon', 'Hamburg', 'Valencia', 'Bologna', 'Göteborg', 'Gent', 'Graz', 'Porto'];
export const UK_CITIES: readonly string[] = ['Leeds', 'Bath', 'Cardiff', 'York', 'Norwich', 'Glasgow'];
export const STREETS: readonly string[] = ['Main St', 'Oak Ave', 'Market St', '2nd Ave', 'Elm St', 'Harbor Blvd', 'Mill Rd', 'Union Sq'];

/** Line items the studio sells, for invoice memos. */
export const MEMOS: readonly string[] = [
  'Brand identity refresh',
  'Menu design and print run (500)',
  'Business cards, 1,000',
  'Trade-show banner, 3 m',
  'Spring catalogue layout',
  'Packaging mock-ups',
  'Website hero photography',
  'Event signage package',
  'Monthly retainer',
  'Annual report design',
  'Window vinyl install',
  'Postcard mailer, 2,500',
  'Label redesign',
  'Reprint: brochures',
];

export const CREDIT_REASONS: readonly string[] = [
  'Reprint discount (colour shift)',
  'Late delivery goodwill',
  'Returned damaged banners',
  'Duplicate line removed',
  'Volume discount',
];

export const METHODS: readonly string[] = ['ACH', 'Check', 'Card', 'Wire'];
