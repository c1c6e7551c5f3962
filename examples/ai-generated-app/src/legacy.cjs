const request = require('request');
const { promisify } = require('node:util');
const dayjs = require('dayjs');

const get = promisify(request.get);

exports.fetchLegacyProfile = async function fetchLegacyProfile(id) {
  const response = await get({ url: `https://legacy.example.test/profiles/${id}`, json: true });
  return { ...response.body, fetchedAt: dayjs().toISOString() };
};
