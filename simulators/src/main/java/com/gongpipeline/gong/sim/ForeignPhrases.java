package com.gongpipeline.gong.sim;

import java.util.List;
import java.util.Map;

/**
 * Sales-call sentences in Spanish, French and German for the {@code non_english} hard case, keyed
 * by ISO-639-2B code ({@code spa}, {@code fre}, {@code ger}). Slots are the same as the English
 * {@link PhraseBook}'s. Not split by side: both speakers draw from the same list.
 */
final class ForeignPhrases {

  private ForeignPhrases() {}

  static final Map<String, List<String>> LINES = Map.of(
      "spa", List.of(
          "Hola {buyerName}, gracias por tu tiempo hoy, ¿qué tal el fin de semana?",
          "Aquí en {city} ha hecho muchísimo calor toda la semana.",
          "Estamos evaluando {product} para unas {seats} licencias en ventas y atención al cliente.",
          "El precio de lista es de {listPrice} por usuario al mes con el plan anual.",
          "Necesitamos un descuento de al menos el {discount} por ciento para poder firmar este trimestre.",
          "También estamos hablando con {competitor}, y su propuesta es más barata.",
          "Nuestro equipo de seguridad pedirá el informe SOC 2 y el inicio de sesión único con SAML.",
          "Los datos tienen que quedarse en {region} por temas de cumplimiento.",
          "La implementación suele durar unas {weeks} semanas desde el arranque.",
          "Te envío la propuesta y agendamos una reunión de seguimiento la próxima semana.",
          "Perfecto, lo reviso con el director financiero y te respondo.",
          "¿La integración con {integration} funciona en ambos sentidos?"),
      "fre", List.of(
          "Bonjour {buyerName}, merci d'avoir pris le temps aujourd'hui, comment s'est passé le week-end ?",
          "Il pleut sans arrêt à {city} depuis lundi, c'est déprimant.",
          "Nous évaluons {product} pour environ {seats} utilisateurs dans les équipes commerciales.",
          "Le prix catalogue est de {listPrice} par utilisateur et par mois sur l'offre annuelle.",
          "Les achats vont demander une remise d'au moins {discount} pour cent.",
          "Nous discutons aussi avec {competitor}, qui est moins cher pour l'instant.",
          "Notre RSSI exigera le rapport SOC 2 et l'authentification unique via SAML.",
          "L'hébergement des données en {region} est indispensable pour nous.",
          "Le déploiement prend en général {weeks} semaines à partir du lancement.",
          "Je vous envoie la proposition commerciale et on cale un point de suivi.",
          "Très bien, je la partage avec notre directeur financier.",
          "Est-ce que l'intégration {integration} est bidirectionnelle ?"),
      "ger", List.of(
          "Hallo {buyerName}, danke für Ihre Zeit heute, wie war das Wochenende?",
          "In {city} ist es seit Tagen eiskalt, ich bin froh, im Büro zu sitzen.",
          "Wir prüfen {product} für ungefähr {seats} Lizenzen im Vertrieb.",
          "Der Listenpreis liegt bei {listPrice} pro Nutzer und Monat im Jahresvertrag.",
          "Unser Einkauf wird mindestens {discount} Prozent Rabatt verlangen.",
          "Wir sprechen parallel auch mit {competitor}, deren Angebot ist günstiger.",
          "Unsere IT-Sicherheit braucht den SOC-2-Bericht und Single Sign-on über SAML.",
          "Die Daten müssen aus Datenschutzgründen in {region} gespeichert werden.",
          "Die Einführung dauert normalerweise etwa {weeks} Wochen ab dem Kick-off.",
          "Ich schicke Ihnen das Angebot und wir vereinbaren einen Folgetermin.",
          "Gut, ich bespreche das mit unserem Finanzvorstand.",
          "Funktioniert die {integration}-Integration in beide Richtungen?"));

  /** Short acknowledgements, once the substantive lines have been said. */
  static final Map<String, List<String>> BACKCHANNEL = Map.of(
      "spa", List.of("Claro.", "Perfecto.", "Vale, entiendo.", "Sí, exacto.", "De acuerdo."),
      "fre", List.of("D'accord.", "Tout à fait.", "Je vois.", "Parfait.", "Oui, exactement."),
      "ger", List.of("Genau.", "Verstehe.", "Alles klar.", "Perfekt.", "Ja, natürlich."));

  /** A title for a non-English call. */
  static String title(String language, String buyer) {
    return switch (language) {
      case "spa" -> "Revisión de propuesta — " + buyer;
      case "fre" -> "Point d'avancement — " + buyer;
      default -> "Angebotsbesprechung — " + buyer;
    };
  }
}
