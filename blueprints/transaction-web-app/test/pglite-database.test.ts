import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { PgliteDatabase } from './pglite-database';

// The helper keeps PGlite's initialised data directory so later test files skip initdb. Not shipped to generated
// repos (it initialises twice, which is what the image saves them): it guards the image handling here.
describe('PgliteDatabase image of the initialised cluster', () => {
  let dir: string;
  beforeAll(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pglite-image-')); });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  test('the first start writes the image; a start from it has rds_iam and a working engine', async () => {
    const image = path.join(dir, 'nested', 'image.tar');
    const first = await PgliteDatabase.start(image);
    await first.exec('CREATE TABLE only_in_first (id int)');
    await first.close();
    expect(fs.statSync(image).size).toBeGreaterThan(1_000_000);
    expect(fs.readdirSync(path.dirname(image))).toEqual(['image.tar']);

    const second = await PgliteDatabase.start(image);
    expect(await second.one("SELECT rolcanlogin FROM pg_roles WHERE rolname = 'rds_iam'")).toEqual({ rolcanlogin: false });
    // The image is taken at initialisation: what a test did afterwards is not in it.
    expect(await second.one("SELECT to_regclass('only_in_first') AS found")).toEqual({ found: null });
    await second.close();
  }, PgliteDatabase.START_TIMEOUT_MS);

  test('a damaged image is replaced by a fresh one instead of failing the tests', async () => {
    const image = path.join(dir, 'damaged.tar');
    fs.writeFileSync(image, 'not a tar archive');
    const database = await PgliteDatabase.start(image);
    expect(await database.one('SELECT 1 + 1 AS two')).toEqual({ two: 2 });
    await database.close();
    expect(fs.statSync(image).size).toBeGreaterThan(1_000_000);
  }, PgliteDatabase.START_TIMEOUT_MS);
});
