import { createHash, type Hash } from 'node:crypto';
import { BUILT_IN_ROLES } from './catalog';
import { COLLECTION_NAMES, type ResolvedTenantSpec, TenantGenerator } from './tenant-generator';

/**
 * Pins the generated tenant byte for byte: one sha256 per collection over every object in ordinal order,
 * serialised as Graph serves it (key order included), plus one per family of derived answers (relations,
 * single-GET extras, lookups). Any change to generated output fails here; when a change is intended, update
 * the hashes in the same commit and say why.
 */

const EPOCH = Date.UTC(2026, 10, 20);

function buildSpec(overrides: Partial<ResolvedTenantSpec> = {}): ResolvedTenantSpec {
  return {
    index: 0,
    tenantId: '00000000-0000-4000-8000-000000000001',
    displayName: 'Contoso Demo',
    domain: 'contosodemo.onmicrosoft.com',
    users: 250,
    premium: true,
    ...overrides,
  };
}

function line(hash: Hash, value: unknown): void {
  hash.update(`${JSON.stringify(value) ?? 'undefined'}\n`);
}

function fingerprint(sut: TenantGenerator): Record<string, string> {
  const out: Record<string, string> = {};
  const digest = (key: string, write: (hash: Hash) => void): void => {
    const hash = createHash('sha256');
    write(hash);
    out[key] = hash.digest('hex');
  };
  digest('counts', (h) => line(h, sut.counts));
  for (const name of COLLECTION_NAMES) {
    digest(name, (h) => {
      const scheme = sut.scheme(name);
      for (let o = 0; o < sut.counts[name]; o++) {
        const object = sut.generate(name, o);
        line(h, object);
        line(h, scheme.decode(String(object['id']), sut.counts[name]));
      }
    });
  }
  digest('users:derived', (h) => {
    for (let o = 0; o < sut.counts.users; o++) {
      const upn = sut.userPrincipalName(o);
      line(h, [upn, sut.userOrdinalByUpn(upn), sut.isGuest(o), sut.managerOrdinal(o)]);
      line(h, sut.userProfileExtras(o));
      line(h, sut.userSignInActivity(o));
    }
  });
  digest('users:authentication', (h) => {
    for (let o = 0; o < sut.counts.users; o++) {
      line(h, sut.userAuthenticationMethods(o));
      line(h, sut.userSponsors(o));
    }
  });
  digest('groups:derived', (h) => {
    for (let g = 0; g < sut.counts.groups; g++) {
      line(h, sut.groupMembers(g));
      line(h, sut.groupOwners(g));
      line(h, [sut.groupContains(g, 'users', g % sut.counts.users), sut.groupContains(g, 'devices', 0)]);
    }
  });
  digest('administrativeUnits:derived', (h) => {
    for (let a = 0; a < sut.counts.administrativeUnits; a++) line(h, sut.administrativeUnitMembers(a));
  });
  digest('applications:derived', (h) => {
    for (let a = 0; a < sut.counts.applications; a++) line(h, [sut.appId(a), sut.applicationOwners(a)]);
    for (let s = 0; s < sut.counts.servicePrincipals; s++) line(h, sut.servicePrincipalOwners(s));
  });
  digest('roles:derived', (h) => {
    for (const role of BUILT_IN_ROLES) line(h, sut.directoryRoleId(role.id));
    line(h, sut.directoryRoleId('not-a-template'));
  });
  digest('bitlockerRecoveryKeys:derived', (h) => {
    for (let k = 0; k < sut.counts.bitlockerRecoveryKeys; k++)
      line(h, [sut.deviceOfKey(k), sut.bitlockerKeyValue(k)]);
  });
  return out;
}

const EXPECTED: Record<string, Record<string, string>> = {
  'seed 1, 250 users, premium': {
    counts: '6118778f93fb0cc15974450b1bbbbc04699328ae07ce548d71f1cb4acc1d9cc5',
    users: '6d6d8023c8a12accb3ba7a4483a3559953112f4a3f91f5fb1dad5dff6d26042e',
    groups: 'ae7ee515761d31f323ba7e214b379cf99780382eb7cb9e4bc9783b57c21fd554',
    applications: '67ed7b2c4cc253acff537ec3de5775053eb090b5629bb08fa199f3358ea86741',
    servicePrincipals: '754040ce364eb763f0175e0b98741fa59e429c28799190ea864fa254e4797f5e',
    devices: '90a6dafc1a0e640a3a5d880aacf0bc9f14c8738f7dce56c18a4d39fd6bd7f9b9',
    administrativeUnits: 'c1f5f26ba2fb9bb4974115b07066e1ab29c7b90733a493287ca227ed03a4b95d',
    roleDefinitions: '2327a612a4bc83c8c26677ea70c08391cd616c127bf6ecf415adf973f47e315b',
    roleAssignments: '3cc1d8a08c0abcc04129d8250253fad37f8f5c11568d867c6af9c42dc9d5349c',
    roleEligibilitySchedules: '7b46e5b0bc66b10c05e3a6d71449fab1bebf7d07468a5497af18283272f95562',
    appRoleAssignments: 'f7c86fcfe99b451617cd16743c1f7184afdcc6f949877924cbb050374e7ccd52',
    oauth2PermissionGrants: '93531434445a6a481181944bf3cb0eada11c755d71970dec07cbe177cfc5c47c',
    conditionalAccessPolicies: '1171e4b943c72b0c171f8f9020908e8a76ea36a33860274228f2b75124da8be2',
    namedLocations: 'ab6530aa351669b2085b06a91455bfd0d0fa39cc17305e097afa1d0709be1f65',
    authenticationStrengthPolicies: '86cabaf9dfe4d7c03ef01df6660b8f844e1e050b764faf8380696fe702d2433a',
    deviceConfigurations: '4078efc537f0183727e00728fabb7c724222fbb056da84aa625ae580998242c7',
    configurationPolicies: 'b77529b8e7e2d007f7c5b26b1cdb90c196a82368a14892398681139bf4dc988a',
    deviceCompliancePolicies: 'a08da7cafb4cf54f57e0aecb429e86b06d28ff9c38c55508080931cd9a848e01',
    bitlockerRecoveryKeys: '2b03e30e644c17b98654ac2cd388be6971098430d8f0387fcfac0c1b2ce86573',
    roleAssignmentSchedules: 'ec10c7937ec4b3a4864a630b7db52be0f44a2e7450cc0d743563129e4861b54d',
    authenticationContextClassReferences: '86df48df01d30b6da0deca9b75b1795f77f04c02945ef1ba154880d939ec3a32',
    groupSettings: '88a24f3d9b7fb2d92b54eb901c1b81f795144292d913def4335fd20328c2978b',
    groupLifecyclePolicies: '499aeb0fa776c8684795317e97ed6a5f5ab9ed7c478d42e82b8133a487b7fca1',
    claimsMappingPolicies: '0c8106be539d252e3face86af2e5d93687740576e062a144cbc147098b454fdf',
    homeRealmDiscoveryPolicies: 'ebed72b354967a0d73f0d1783c14bd1ac6cbe138dedfb5ae3da2ecc6cfc801d4',
    tokenIssuancePolicies: '522f82f6b29d8484525d8ebc97b0fdecb922327121d40d07a6c9fd3920495a89',
    tokenLifetimePolicies: 'da95caa5a16530953117bd5ed2863a8af6067d58144a475f7bfd423f15a5d188',
    appManagementPolicies: 'ccb0b52dab866697967575cf9a611f6e8393b53b9e1af08898a5e27e140ad247',
    permissionGrantPolicies: '7193db7827b08a6a16e1b8e6a0d2e465f558feedf50732d7ae9a50516457fcb3',
    identitySecurityDefaultsEnforcementPolicy:
      '00c96fc3a8a41b627f0796b59d0c2cec8e0c1cecb1686363b415cb2eb5590264',
    defaultAppManagementPolicy: '97e2a974d5b8f1b2727191f279b1d913b1ce5e18687c03c1f47152202cd6548c',
    crossTenantAccessPolicyPartners: '2e397cbed076ea2e0dfd81a640999076f43aa8df64f5e36e5bfc551a654e394e',
    crossTenantAccessPolicyDefault: '3479d133375219a466ae08aec6953167547de85411b3b19f3c270f6b48442c62',
    crossTenantAccessPolicy: 'ae9e81163bc543cca2c97a305a9d8f40d476a75cc510fc893768c538c69a71df',
    authorizationPolicy: '7a060c79cd4538b31af46fe266ddbe38d0f6ace67e5d49c7325b996b7fe1f058',
    authenticationMethodsPolicy: 'da32408cd421a53a1028b7ca2042409e4dadf7157f65ccea779750005d663ce9',
    adminConsentRequestPolicy: '72ba4d7aae5664fd58bbc1dd2643ce961002d8efbd1adb6062ad35e94fb79030',
    roleManagementPolicyRules: '45094253f2781245469867f2937594c51605ae2b29f0355073c23e3fb704af72',
    delegatedPermissionClassifications: '74b118761b327e148761873baf783c6d6d92b712ae5db6d710d2cec93ce9950b',
    'users:derived': 'c4a9766a3759457113f3c0a9ee8d005f8cb617c48e8f96d8407971f09664f38f',
    'users:authentication': 'cf19b92e203c05bc58d558764aab9ee5a5d4aafca2b0661b0931b85d908beb33',
    'groups:derived': '7aaf1b0599b8906b84fc04d6e16a3f005b86dbe3a531ccd4dca46592ab82b9bf',
    'administrativeUnits:derived': '9435c0c350a17c4486dcafc5472849949bb38d1c62f8785aab6edf3b0db280b2',
    'applications:derived': 'f0c4e65981abc65ced4506518cb03787ad22bcbfda442ea2cfcb511494cfe88f',
    'roles:derived': 'ea0f6517605fe2290d368e74937c909da3059f64e15f91722e86729e1af4a12b',
    'bitlockerRecoveryKeys:derived': '6ffe8a51e3116ea3d5f68b1401dc2a23259823e1c940cf86c75cb5987cbefcd1',
  },
  'seed 7, 1,000 users, premium, second tenant': {
    counts: '676938e4ee3eeecac3681f8155b13733dab33190813f7555236076b7747dad1c',
    users: '6dbf963104ba8c10dd193601dbcd719bb8bf03590a4ac1b91dabcb722b83b4f3',
    groups: '3bd80f6cbcb5229461dbdb724def0ae71e39542145fabd1ca8a6dc89d9a53144',
    applications: '13beeb9871169e97236dc170c66c5d9e07a7edd6ee9ebfa7fc058ba299b838f8',
    servicePrincipals: '3dad1f9c492efac0f9552da269c0c008b59dd5c0a683e84f54e99e6c0a91b068',
    devices: 'cfbdb91ccac25d9b2d44cc379280c7d303b3dd5f0f4c7311095603e983dc3517',
    administrativeUnits: '763c58fdcfb6cf6bec8f3e7233880b8d44e09ff678340fd50e1989a1a022f364',
    roleDefinitions: 'e5d251550bcaef1285fbaf35af531686e5826176da9eb8db0ea3e99ac313112c',
    roleAssignments: '54aa37ba003b385095f4b355b0753e6582a9e97e12c953ef8f63baeaeb2c49e4',
    roleEligibilitySchedules: '74dac8b394184ad85bcd09e2974c669e44403b983d793bcbd35257cd56903217',
    appRoleAssignments: 'd4dfbbba783b246cb19b0f0cfd67b40a3ab1c1ac4af1a89974d3924dedf200ab',
    oauth2PermissionGrants: '8e84e715423ba1696622d32973e94c4a4339ddc3ec5fb694a6266fb6ecabe012',
    conditionalAccessPolicies: '52bbb84db50f7b7feae088b4c2857c9a890b2ed85fc55b5f7fc0e385b4842e5b',
    namedLocations: 'ef1e9f08beb046622b14a7db7fb9e9363102924345b975323fc027f8bd87c89f',
    authenticationStrengthPolicies: 'efb6f154c44e7f0ff574289ba2c6bda5528bee364d7bb6eccf3c0972c1a49a3a',
    deviceConfigurations: 'b0d6e01566f557725535e620d89661dd0ee61368b0d3bf52ed4cdccddd0521ee',
    configurationPolicies: '386984726ff707a26006c1800084e6624ddf0024b8e88de4b057e8d015f90890',
    deviceCompliancePolicies: '25ca6381ba9c5fe2300af7c95beeb3052828f35ed3c39298fbad2fb8b7ffa733',
    bitlockerRecoveryKeys: '7c99656cf1b14b0d0114a0da0ad597515049b9f6ce77dc1a9343df0a9f343599',
    roleAssignmentSchedules: '9c8aee815ba748df9800343f8f8e3fc14bced7061e476ecf2ba2de68ba3e6509',
    authenticationContextClassReferences: '86df48df01d30b6da0deca9b75b1795f77f04c02945ef1ba154880d939ec3a32',
    groupSettings: '73a9dec2e5afc94591255a1dbf4456cf364ea6294ffd96ab9b490dc6ce07179d',
    groupLifecyclePolicies: '02a7301cc93f2c177eea143c68db6787ced0b3e21a9fca8653f573f385ee5709',
    claimsMappingPolicies: 'd57f081788fd59851f0d4a8569271d364388303459b87e2d64f7f1dfd21f5d3a',
    homeRealmDiscoveryPolicies: '83063bdc3e6bdaf7b449498ec12e7fa1c7de15434b13af1db0168f0fd4c9fee7',
    tokenIssuancePolicies: 'a1ca5085d2cb9070d3b4819181967fe7f9d48d863d453f634b43fed7995c0041',
    tokenLifetimePolicies: 'fd7c91514b6001770854b86d1a2149dca78f6e77b593f5585e475bbbb3095759',
    appManagementPolicies: '360d899edf715406f287a32650f471a89195100122fed5cbf1573a7f0fbadc42',
    permissionGrantPolicies: 'dc0d9f1fb0f309f88d4602f3498ad1b7fcd0713576835bd0e5576f6ee888acf8',
    identitySecurityDefaultsEnforcementPolicy:
      '00c96fc3a8a41b627f0796b59d0c2cec8e0c1cecb1686363b415cb2eb5590264',
    defaultAppManagementPolicy: '97e2a974d5b8f1b2727191f279b1d913b1ce5e18687c03c1f47152202cd6548c',
    crossTenantAccessPolicyPartners: 'da4ff9170e8f794a02154f12ea22c92791807279121ab0bd4233cd18a49b4473',
    crossTenantAccessPolicyDefault: '3479d133375219a466ae08aec6953167547de85411b3b19f3c270f6b48442c62',
    crossTenantAccessPolicy: 'ae9e81163bc543cca2c97a305a9d8f40d476a75cc510fc893768c538c69a71df',
    authorizationPolicy: '9305f4f07b8dc982f82dc60118880eb93e267277f459b820a430a223c4b5bd93',
    authenticationMethodsPolicy: 'f4610905789b53d84b170931c84bfcd691312e7aad5822ce0e264556191be00f',
    adminConsentRequestPolicy: '04b9103997b6d9e958b30a8d005fdab37a0d2ef36d6f6ea6591f6a4b579dcfeb',
    roleManagementPolicyRules: '7370441bfa855e72e4599468d70ef99359774e87c2dd62a8e74ee3c1584f40b4',
    delegatedPermissionClassifications: '310aef1e4ad766c09c79f120a1a0f4d9aaf3c7d1538db7ffb8170c22a26f4a21',
    'users:derived': '1b7d856367c3915b00d5c2e0b9f260dbd5f35d253a9b4bb7e4a1d5a6b232a2b9',
    'users:authentication': 'fcf5d0bd11bb515e6e0817529e00942f4a883c70cbc35d3222e382babd4d8c4e',
    'groups:derived': '4ff209d2d75720db6f3278f9ead0e96d676dd619a462a65963b94dc9e1208e91',
    'administrativeUnits:derived': 'bc9259875fdbc7c725bdbeefa1d20ac11ebcb6e785bb6f32c3545aae452fec99',
    'applications:derived': '4d682c7efd58add045ba038564bafed1312d554f1e1942639e48c398830b3adf',
    'roles:derived': '104fd4c3f3e5aa0d37a5e8cba3cdc705131fbd611ca68b10103ac36e90313275',
    'bitlockerRecoveryKeys:derived': 'f14f69ed118bd340408d95168a3e06f1d37937285ee31ed60b95c38a22060aa3',
  },
  'seed 3, 600 users, not premium': {
    counts: 'd6b6fb7559e77002b4a900f8559886cdad3cbcdf9688ead94801cbe5a6babdd6',
    users: 'f835548d531bb874591bf39c3d39df63544866aadb7bb84e798852b5e5759d48',
    groups: '17f9b26a2077f9689860e3ab9a84b74316ad76d351ab8253eabe7ceaca460659',
    applications: '1f5cb9a26104aadb5393d53b09e27ad905e0c415378d6892bb6ba5f77d5147bf',
    servicePrincipals: 'ead2036faa6e8bb5fe4c544c386b8a895db241a9b7d6c33b3e20d426d8ea7abc',
    devices: '0e8373976523890c5b8743b370aabaf4233de2c50cb329179f5c4e7b7befcc53',
    administrativeUnits: '16d20ce49bde601eb697cbbbbff233de21673838997f77f04bc53a8c054c60f5',
    roleDefinitions: '9e446e52092e67071cba3170ff1dc736f5e6d401323fd92f331c97203473d9b4',
    roleAssignments: '566fb3cedf61ee6cd816a5b55da52c67e901ba16ba4e5193067df46d5dcc7083',
    roleEligibilitySchedules: '42ee53bcf0965655ec2fbe46a2282fdbc739b84299e79b233f930f3b38683fe9',
    appRoleAssignments: '3d209eb54398ef17a9a4aff398c94d6a4f3dbe844e92d7c5d20b7dbf7bbdeba3',
    oauth2PermissionGrants: '6ac290432a244c7f6ee5708c963a5ba4cfeebdde91d4f50531b5fbcf2e4e1c2c',
    conditionalAccessPolicies: '2db21913d7f4dbe52904a001d60c51c447a64e1c38e72ad6f46417957123c62c',
    namedLocations: 'c90ab90ac0f3ef494de3a028df9d845d5c128014cce8004522dc9f2a84d56e2b',
    authenticationStrengthPolicies: '4971a1dc8d3ac660760092082153061dcc2263d976a99de3793a0f8d7072c131',
    deviceConfigurations: '8f1d2904b16faa555568b84194536d907e875e36067e0c02d62fb709a9ffaf1f',
    configurationPolicies: '6065a8630aced1db5b5dd53ad6662fa7572ea00dcb5d61e89c3ebbbd0f068231',
    deviceCompliancePolicies: 'cff89b173a237d6eb59f20be92959b465e5a4571c3671dcddaa47325d37ba31a',
    bitlockerRecoveryKeys: '9d91ad8ac93a47b4db0af89c7de2bf8b05c1b267f3a27b980a9e6448984503b1',
    roleAssignmentSchedules: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    authenticationContextClassReferences: '86df48df01d30b6da0deca9b75b1795f77f04c02945ef1ba154880d939ec3a32',
    groupSettings: '974ec494dde385e01a042d72c08fe422424e13fcfa63eaefc88d88965faf4d71',
    groupLifecyclePolicies: '8097c2d4ab27595421111e0280990f5e172bec7e1c4effcf25d2df22ba68576c',
    claimsMappingPolicies: '9796b725522603bd600854058a238291819a9bf423ab986f0a539305751eedd0',
    homeRealmDiscoveryPolicies: '409023d6b6837bf7fa4b0cdadbbe307566ad434ec911587dd8ef8fb4627faa1b',
    tokenIssuancePolicies: 'abf99c7241c09173a1bf6766aac6fc798f96dd1d3bf37ff366ecc03e3442b923',
    tokenLifetimePolicies: '39f648b5fb3a24408ba36cf079313401811c4da392441abeae69a04adefe3b35',
    appManagementPolicies: 'c3ba8de63a1ab5c18f8fd060cdde0956c1ce6c687d511a60dcbcf58e2fbdf37b',
    permissionGrantPolicies: '225ca881376bcb9429617ae56892e8c3a7852ac7507c4142fd03821af002f470',
    identitySecurityDefaultsEnforcementPolicy:
      '6c2f4ec89b66bf4b3472e83a0c7547449b36b8031da3bdc2a6b58e4b2ce7c0e1',
    defaultAppManagementPolicy: 'efd77f00f0521c8a6e35403190356f18d6a4cdea39e5a06abd8fdc35d689bc52',
    crossTenantAccessPolicyPartners: '2d3aa27baa5c4fdc15df70d45672226a1bcaa6c37be017f3c71fde26a9ec1c3d',
    crossTenantAccessPolicyDefault: '3479d133375219a466ae08aec6953167547de85411b3b19f3c270f6b48442c62',
    crossTenantAccessPolicy: 'ae9e81163bc543cca2c97a305a9d8f40d476a75cc510fc893768c538c69a71df',
    authorizationPolicy: '57403e381192c47dd9c90e3b1398ee485e06c6a4227ec690c4337d9eef85b47d',
    authenticationMethodsPolicy: '60718f81f12634fb9fcfa0ec964ec7aac73fa0aeaee0ad3ba9f620d335d65e22',
    adminConsentRequestPolicy: '5f513ce0d4ce2a044846851520dc036d0f7394d4915c9335d711bfdc0b8285e3',
    roleManagementPolicyRules: 'fc23a87a99d7f0b70a127d3ca1b840bbccf0cb681ec929c41b73790803d1f7cf',
    delegatedPermissionClassifications: '3032c615182f9a4287fda08e676e713205607753ea0ebcdcdddd1ef2243f1399',
    'users:derived': '7dc3d61e94406eff5edbe9aaeea9135af8d4f035210abddeba89b68596394b93',
    'users:authentication': '3532b64590c43b03effd00b61f3cca25ac213550dac1de6b9979069197647c4d',
    'groups:derived': '3cee6bafe8a0147dcdb4ca67f813d3985a4197d5efdb5abc81a8ed570e534fdb',
    'administrativeUnits:derived': 'ba3b5ea31a1f55e53230926650c8e14c4e21fd6d00cdb447c04f9e756b0bcf89',
    'applications:derived': '763d5fd32af3c18f5365974f29c7daf6044a2989450e8000697cedc368304e27',
    'roles:derived': 'a81c338f7dcae27ac48c42c4cd21680da01df06fa6526337f730fb0ec1ada24f',
    'bitlockerRecoveryKeys:derived': '843a906d566c6df20d6187b1181c6252ccc6e6d67a76e4c6199316746a129e99',
  },
  'seed 11, 18,000 users, premium (name suffixes, repeated app and unit names)': {
    counts: '827eea2a32706213c58666041a8d4dfa2aa47412a2736e32ae1d4e135b713bb3',
    users: 'c2b152ebdb2582e71a616d2c3861559265d0389c3d2161cbebedb2f10d5ca8ff',
    groups: 'adfe77e9525a0e524f017d8655805940ec34683345b86d70edd316a3b02d3019',
    applications: 'f25b799f588b720e460ae58a877eb5eefadeed1b237d067eb3e249f22dd1d739',
    servicePrincipals: '5605a4f37f0d8ef1d113bb1131480c78cdbeb60a431af9d2b4b8b01195d6b727',
    devices: '59069baf4715bb0835517b022ccc974af6afc7b07e25a96257483d55db810f57',
    administrativeUnits: 'ccdcd392e5979d2a09e91330bad089db28a2d56defb4f300e0fe2a1d2439cca9',
    roleDefinitions: 'f7bf81413f12f6daf8c518c513ee4a2c1440aa0167619b151c8127173d2f9722',
    roleAssignments: '97ac250a9be152f60eb4a830a96caaa1296db3810ffd2952e65e188e1107d6f1',
    roleEligibilitySchedules: 'bb966569ab8ab72407bd8a4884f15c52700174539582b9199e5ea019bc1dea08',
    appRoleAssignments: '5c7fb62a177119a857b2c39ceaf7826ab1be72eaa16c4e2675f0d7e5e281dbde',
    oauth2PermissionGrants: 'e02f490379065410016d4d7afaf54691734829e86cc5ebd32e65b3756188c72f',
    conditionalAccessPolicies: 'dc243f81686269196bd50d93b058738ec2e33a3c911a85f9bbfb6f04c0252f36',
    namedLocations: '9ffda8ff4e9bfa6f312586578dd7c97efa43ce25f12baf4c59c4684382403fd2',
    authenticationStrengthPolicies: 'dd88997968964ecbc10a83ea06c751219d01e5f704c4e2e53b395f2e871ff1cc',
    deviceConfigurations: '55dbca376cbaed0c709e930b4dd97202cb35c8ba06fa20b6720de2f60fcf6bbf',
    configurationPolicies: '96404629117d4e11d5cde72eb0f9189f97ba5911d286a05fba11a92bdc6d81a4',
    deviceCompliancePolicies: '677c48d6aeb5d48b697ab86aa2816817a8bab9f3b7806efa806d5dac416ee958',
    bitlockerRecoveryKeys: '10d4936b2dad6597bcbc44afcc7525f4cdff6353e9a497770fe650095a65ade4',
    roleAssignmentSchedules: '5a551afdcb5fc2980a17adf8e964fe40aaaffa7063559fe98e5db4bec8ec9e10',
    authenticationContextClassReferences: '86df48df01d30b6da0deca9b75b1795f77f04c02945ef1ba154880d939ec3a32',
    groupSettings: 'fa31bbb5ba7f1aa847a8f0d9431cbae477dff7d1a4e245963f333ba8c27c0766',
    groupLifecyclePolicies: 'cee8e8cd4b26345956d4da6112651089664f7a2ceb54d32dea74a0e8d9b6d898',
    claimsMappingPolicies: '8c8e0454c0c43ed1b3bdc28315a42086a34d46703b6e2d4b661338ac19791246',
    homeRealmDiscoveryPolicies: '075f967e8b62c2aa3aed72b334a62a3b6fc3a8494b01943dfc92ed60840164fc',
    tokenIssuancePolicies: 'f6030675f123cd2518f60b8fcba1164fb9c5db95707c528c3e5dc688db5b5b72',
    tokenLifetimePolicies: 'b3d66f6c9f72cb353bdc5daf57ef9a13cdcd97a9b6b5edabc78ebde838d06427',
    appManagementPolicies: '9fee4839e37ec697b47153ad9dcd6cefca1bdb344cc948cc3ebc5606b7e6bf45',
    permissionGrantPolicies: '88254cf0793c36a052e367f9a0bf06e4c23e3bd09134c3e91bed393f6b75c3ec',
    identitySecurityDefaultsEnforcementPolicy:
      '00c96fc3a8a41b627f0796b59d0c2cec8e0c1cecb1686363b415cb2eb5590264',
    defaultAppManagementPolicy: '97e2a974d5b8f1b2727191f279b1d913b1ce5e18687c03c1f47152202cd6548c',
    crossTenantAccessPolicyPartners: '01d9c7156cef83d4876ea0f06e10863ff2675961198af29b45d4f10b6d19b983',
    crossTenantAccessPolicyDefault: '3479d133375219a466ae08aec6953167547de85411b3b19f3c270f6b48442c62',
    crossTenantAccessPolicy: 'ae9e81163bc543cca2c97a305a9d8f40d476a75cc510fc893768c538c69a71df',
    authorizationPolicy: '7a060c79cd4538b31af46fe266ddbe38d0f6ace67e5d49c7325b996b7fe1f058',
    authenticationMethodsPolicy: '0be35b4830a2ac807f0a2ecd9efa77233e8a8e0a8a8ac04cd003f7924db3588e',
    adminConsentRequestPolicy: '227dd3e3398ced71857a43f5a59eeb1d162d44dd373967e04aac15d6e9926b14',
    roleManagementPolicyRules: '032e587bd6b4ebebba6b6aaa92d145428c7f12605e43c35118d4e8d858e1dd9a',
    delegatedPermissionClassifications: '1596f003a182dbbf22dfc7b2b4c33febfc2d0a747f2b24c19313087f1eabc63d',
    'users:derived': '6b2608634e3a75715a3d60301b23ba2924a1fda3ef1785d91a3d4171668b31b2',
    'users:authentication': '1f9df02d24835f5cb5270a98316a90dc1abbb945e97997e128e069673e106474',
    'groups:derived': '2cf5ea2101becaaea530727ab92b8b248d893349484053f32f83732bb1bdac0a',
    'administrativeUnits:derived': 'd52580fbe4772382d21ae20527828406d2d51bb2f61f6e6e459cb31b059f10af',
    'applications:derived': '7e80ed44806b4688f888f7e0d813cf1682185283b6b7e423e705c0a394ae6367',
    'roles:derived': '47def01dcb5fc6e90f5ad63b5e19cfef85ec89d0daa84efdb06444714ce2e052',
    'bitlockerRecoveryKeys:derived': '06c28421f1bd6268bb3823c3c830bca9f1503860521bc5f1963da6a7d10759ee',
  },
};

describe(`${TenantGenerator.name} characterization`, () => {
  it.each([
    ['seed 1, 250 users, premium', 1, buildSpec()],
    [
      'seed 7, 1,000 users, premium, second tenant',
      7,
      buildSpec({
        index: 1,
        tenantId: '00000000-0000-4000-8000-000000000002',
        displayName: 'Fabrikam Labs',
        domain: 'fabrikamlabs.onmicrosoft.com',
        users: 1000,
      }),
    ],
    [
      'seed 3, 600 users, not premium',
      3,
      buildSpec({
        index: 2,
        tenantId: '00000000-0000-4000-8000-000000000003',
        displayName: 'Northwind Traders',
        domain: 'northwindtraders.onmicrosoft.com',
        users: 600,
        premium: false,
      }),
    ],
    [
      'seed 11, 18,000 users, premium (name suffixes, repeated app and unit names)',
      11,
      buildSpec({
        index: 3,
        tenantId: '00000000-0000-4000-8000-000000000004',
        displayName: 'Woodgrove Bank',
        domain: 'woodgrovebank.onmicrosoft.com',
        users: 18_000,
      }),
    ],
  ])(
    'generates the recorded tenant for %s',
    (label, seed, spec) => {
      const actual = fingerprint(new TenantGenerator(seed, spec, EPOCH));
      expect(actual).toEqual(EXPECTED[label]);
    },
    60_000,
  );
});
