import 'dotenv/config';
import express from 'express';
import { createSecurePool } from 'pg-secure-pool';
import { withRetry } from 'axios-retry-interceptor-plus';
import axios from 'axios';
import { fetchLegacyProfile } from './legacy.cjs';

const app = express();
const pool = createSecurePool({ connectionString: process.env.DATABASE_URL, ssl: 'strict' });
const http = withRetry(axios.create({ timeout: 5_000 }), { retries: 3 });

app.get('/users/:id', async (req, res) => {
  const { rows } = await pool.query('SELECT * FROM users WHERE id = $1', [req.params.id]);
  const profile = await fetchLegacyProfile(req.params.id);
  const avatar = await http.get(`https://avatars.example.test/${req.params.id}`);
  res.json({ ...rows[0], profile, avatar: avatar.data });
});

app.listenSecure(3000);
