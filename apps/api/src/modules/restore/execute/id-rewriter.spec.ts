import { IdRewriter } from './id-rewriter';

describe(IdRewriter.name, () => {
  const OLD_APP_ID = 'b0b0b0b0-1111-4111-8111-111111111111';
  const NEW_APP_ID = 'C0C0C0C0-2222-4222-8222-222222222222';

  it("renames the extension values of a re-created application's extensions, and rewires ids in values", () => {
    const sut = new IdRewriter();
    sut.load([
      { kind: 'appId', oldId: OLD_APP_ID, newId: NEW_APP_ID },
      {
        kind: 'id',
        oldId: 'aaaaaaaa-1111-4111-8111-111111111111',
        newId: 'aaaaaaaa-9999-4999-8999-999999999999',
      },
    ]);

    expect(
      sut.rewrite({
        extension_b0b0b0b0111141118111111111111111_costCenter: 'CC-1',
        extension_d0d0d0d0333343338333333333333333_region: 'EU',
        extension_B0B0B0B0111141118111111111111111_sponsor: 'aaaaaaaa-1111-4111-8111-111111111111',
        jobTitle: `named after ${OLD_APP_ID}`,
      }),
    ).toEqual({
      extension_c0c0c0c0222242228222222222222222_costCenter: 'CC-1',
      // Defined by an application the restore did not re-create: unchanged.
      extension_d0d0d0d0333343338333333333333333_region: 'EU',
      extension_c0c0c0c0222242228222222222222222_sponsor: 'aaaaaaaa-9999-4999-8999-999999999999',
      jobTitle: `named after ${NEW_APP_ID}`,
    });
  });

  it('leaves everything as it is when nothing was re-created', () => {
    const body = { extension_b0b0b0b0111141118111111111111111_costCenter: 'CC-1' };
    expect(new IdRewriter().rewrite(body)).toBe(body);
  });
});
