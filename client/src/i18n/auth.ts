/** Strings of the login form and the user menu. */
import type { Strings } from "./strings.ts";

export const auth: Strings = {
  "auth.title": { ru: "Вход в систему", en: "Sign in" },
  "auth.login": { ru: "Пользователь", en: "User" },
  "auth.password": { ru: "Пароль", en: "Password" },
  "auth.submit": { ru: "Войти", en: "Sign in" },
  "auth.checking": { ru: "Проверка…", en: "Checking…" },
  "auth.required": { ru: "Введите имя пользователя и пароль", en: "Enter the user name and password" },
  "auth.retryIn": { ru: "Повторить можно через {seconds} с", en: "You can retry in {seconds} s" },
  "auth.failed": { ru: "Не удалось войти: {message}", en: "Could not sign in: {message}" },
  "auth.sessionEnded": { ru: "Сеанс завершён — войдите снова", en: "The session has ended — sign in again" },
  "auth.logout": { ru: "Выйти", en: "Sign out" },
  "auth.changePassword": { ru: "Сменить пароль", en: "Change password" },
  "auth.oldPassword": { ru: "Текущий пароль", en: "Current password" },
  "auth.newPassword": { ru: "Новый пароль", en: "New password" },
  "auth.repeatPassword": { ru: "Повторите новый пароль", en: "Repeat the new password" },
  "auth.passwordsDiffer": {
    ru: "Новый пароль и повтор не совпадают",
    en: "The new password and its repetition differ",
  },
  "auth.passwordChanged": { ru: "Пароль изменён", en: "The password has been changed" },
  "auth.roles": { ru: "Роли: {roles}", en: "Roles: {roles}" },
};
