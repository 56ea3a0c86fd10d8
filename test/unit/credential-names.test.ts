import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isCredentialValue, looksLikeCredentialName, nameWords } from '../../server/src/engine/secrets/credential-names';

describe('nameWords', () => {
  const cases: ReadonlyArray<readonly [string, readonly string[]]> = [
    ['DB_PASSWORD', ['db', 'password']],
    ['dbPassword', ['db', 'password']],
    ['GITHUB_TOKEN', ['github', 'token']],
    ['api-key', ['api', 'key']],
    ['APIKey', ['api', 'key']],
    ['spring.datasource.password', ['spring', 'datasource', 'password']],
    ['S3_ACCESS_KEY2', ['s', 'access', 'key']],
    ['oauth2ClientSecret', ['oauth', 'client', 'secret']],
  ];
  for (const [name, words] of cases) {
    it(`splits ${name}`, () => assert.deepEqual(nameWords(name), words));
  }
});

describe('looksLikeCredentialName', () => {
  const credentials = [
    'PASSWORD',
    'DB_PASSWORD',
    'dbPassword',
    'MYSQL_ROOT_PASSWORD',
    'POSTGRES_PASSWD',
    'REDIS_PASS',
    'DB_PWD',
    'GITHUB_TOKEN',
    'githubToken',
    'AUTHTOKEN',
    'REFRESH_TOKEN',
    'SECRET',
    'CLIENT_SECRET',
    'SECRET_KEY_BASE',
    'JWT_SECRETS',
    'API_KEY',
    'APIKEY',
    'api-key',
    'OPENAI_API_KEY',
    'AWS_SECRET_ACCESS_KEY',
    'AWS_ACCESS_KEY_ID',
    'MINIO_ACCESS_KEY',
    'PRIVATE_KEY',
    'SSH_PRIVATE_KEY',
    'AZURE_STORAGE_ACCOUNT_KEY',
    'AZURE_STORAGE_CONNECTION_STRING',
    'GPG_PASSPHRASE',
    'CREDENTIALS',
    'DOCKER_CREDENTIAL',
    'AWS_CREDS',
    'PASSWORD2',
  ];
  for (const name of credentials) {
    it(`flags ${name}`, () => assert.equal(looksLikeCredentialName(name), true));
  }

  const harmless = [
    'TOKEN_TTL_SECONDS',
    'PASSWORD_MIN_LENGTH',
    'MIN_PASSWORD_LENGTH',
    'SECRET_NAME',
    'DB_PASSWORD_FILE',
    'GITHUB_TOKEN_PATH',
    'TOKEN_REFRESH_INTERVAL',
    'JWT_TOKEN_EXPIRY',
    'SECRETS_DIR',
    'AWS_SHARED_CREDENTIALS_FILE',
    'PASSWORD_RESET_URL',
    'AUTH_TOKEN_ENABLED',
    'SECRET_KEY_REF',
    'MAX_TOKENS',
    'OPENAI_MAX_TOKENS',
    'MYSQL_ALLOW_EMPTY_PASSWORD',
    'PASSWORD_HASH_ITERATIONS',
    'ACCESS_TOKEN_VALIDITY',
    'TOKENIZER_PATH',
    'SECRETARY_EMAIL',
    'BYPASS_CACHE',
    'PWD',
    'OLDPWD',
    'KEYCLOAK_REALM',
    'PRIMARY_KEY_COLUMN',
    'LOG_LEVEL',
    'HOME',
  ];
  for (const name of harmless) {
    it(`does not flag ${name}`, () => assert.equal(looksLikeCredentialName(name), false));
  }
});

describe('isCredentialValue', () => {
  const credentials: ReadonlyArray<readonly [string, string]> = [
    ['DB_PASSWORD', 'hunter2'],
    ['DB_PASSWORD', '123456'],
    ['API_KEY', 'sk-live-abc'],
    ['GITHUB_TOKEN', 'ghp_0123456789abcdef'],
    ['DB_PASSWORD', 'pre-$(SUFFIX)'],
    ['SECRET', 'prefix/with/slash'],
    ['DB_PASSWORD', '/not a path'],
    ['TOKEN', 'C:token'],
    ['VAULT_TOKEN_URL', 'https://admin:s3cret@vault.example.com'],
    ['SECRET_URL', 'postgres://app:pw@db:5432/app'],
  ];
  for (const [name, value] of credentials) {
    it(`flags ${name}=${value}`, () => assert.equal(isCredentialValue(name, value), true));
  }

  const harmless: ReadonlyArray<readonly [string, string]> = [
    ['DB_PASSWORD', ''],
    ['DB_PASSWORD', '   '],
    ['DB_PASSWORD', '$(DB_PASSWORD_FROM_SECRET)'],
    ['BASIC_AUTH_CREDENTIALS', '$(USER):$(PASSWORD)'],
    ['TOKEN_TTL_SECONDS', '3600'],
    ['PASSWORD_MIN_LENGTH', '12'],
    ['SECRET_NAME', 'app-secrets'],
    ['DB_PASSWORD_FILE', '/run/secrets/db'],
    ['GOOGLE_APPLICATION_CREDENTIALS', '/var/secrets/google/key.json'],
    ['SSH_PRIVATE_KEY', '~/.ssh/id_ed25519'],
    ['SOME_TOKEN_PATH', '/var/run/secrets/token'],
    ['TOKEN', '/var/run/secrets/kubernetes.io/serviceaccount/token'],
    ['API_TOKEN', 'C:\\secrets\\token.txt'],
    ['DB_PASSWORD', 'file:///run/secrets/db'],
    ['USE_TOKEN', 'true'],
    ['MYSQL_RANDOM_ROOT_PASSWORD', 'yes'],
    ['PASSWORD_AUTHENTICATION', 'no'],
    ['VAULT_TOKEN_URL', 'https://vault.example.com/v1/auth/token'],
    ['LOG_LEVEL', 'debug'],
  ];
  for (const [name, value] of harmless) {
    it(`does not flag ${name}=${JSON.stringify(value)}`, () => assert.equal(isCredentialValue(name, value), false));
  }
});
